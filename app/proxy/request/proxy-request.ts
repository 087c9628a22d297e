/**
 * The one object a proxied request is: what the client asked (format, operation, body, model),
 * the client side of the wire, its record (request log and live stats), and the attempt in
 * progress (backend, upstream model, key). Created by handle-request.ts, re-targeted by the
 * policy for each attempt (serve-request.ts), read by the two paths (pass-through.ts, translate.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Operation, WireFormat } from '../../codecs/codec';
import type { BackendConfig } from '../../config/schema';
import type { ChatRequest } from '../../ir/conversation';
import { quirksFor, type QuirkProfile } from '../../quirks/index';
import { NO_QUIRKS } from '../../quirks/none';
import type { ApiError } from '../../ir/errors';
import type { RequestLog } from '../../log/request-log';
import type { BackendRegistry } from '../../routing/backend-registry';
import type { LiveStats } from '../../stats/live-stats';
import { estimateRequestTokens } from '../../translate/token-estimate';
import type { ResponsesStore } from '../../responses-store';
import type { KeySource } from '../../vault/key-source';
import { encodeClientError } from '../client-errors';
import { codecFor } from '../../codecs/registry';
import type { ClientStream } from '../sse/client-stream';
import type { UpstreamClient } from '../upstream/upstream-client';
import type { CancelSignal } from '../../limits/cancellation';
import type { InFlightRequests } from './in-flight';
import type { ProxyPolicy } from './policy';
import type { RequestRecord } from './request-record';

export type Json = Record<string, unknown>;

/** What every request of one server shares. */
export interface ProxyDeps {
  registry: BackendRegistry;
  keySource: KeySource;
  upstream: UpstreamClient;
  pingIntervalMs: number;
  policy: ProxyPolicy;
  /** Recent answers to Responses clients, for `previous_response_id`. */
  responsesStore: ResponsesStore;
  requestLog?: RequestLog;
  stats?: LiveStats;
  /** The requests being served, for a clean close (let finish, then cut). */
  inFlight?: InFlightRequests;
}

export type { Operation } from '../../codecs/codec';

export interface ProxyRequestInit {
  deps: ProxyDeps;
  clientFormat: WireFormat;
  operation: Operation;
  body: Json;
  headers: IncomingHttpHeaders;
  client: ClientStream;
  signal: CancelSignal;
  log: FastifyBaseLogger;
  record: RequestRecord;
}

export class ProxyRequest {
  readonly deps: ProxyDeps;
  readonly clientFormat: WireFormat;
  readonly operation: Operation;
  readonly body: Json;
  readonly requestedModel: string;
  readonly headers: IncomingHttpHeaders;
  readonly client: ClientStream;
  /** Aborted when the client hangs up (or the request is over). */
  readonly signal: CancelSignal;
  readonly log: FastifyBaseLogger;
  readonly record: RequestRecord;
  /** Keys used so far (scrubbed from any error text). */
  readonly keys: Array<string | undefined> = [];

  /** The attempt in progress (set by `target`). */
  backend!: BackendConfig;
  upstreamModel = '';
  /** The backend's key (undefined for `apiKey: "none"`). */
  key: string | undefined;
  /** What the upstream model's family needs (app/quirks). */
  quirks: QuirkProfile = NO_QUIRKS;
  /** The backend whose context window the prompt did not fit, when it went to its `overflowTo`. */
  overflowedFrom: string | undefined;

  private decoded: { request?: ChatRequest; error?: unknown } | undefined;
  private estimated: number | undefined | null = null;

  constructor(init: ProxyRequestInit) {
    this.deps = init.deps;
    this.clientFormat = init.clientFormat;
    this.operation = init.operation;
    this.body = init.body;
    this.requestedModel = init.body.model as string;
    this.headers = init.headers;
    this.client = init.client;
    this.signal = init.signal;
    this.log = init.log;
    this.record = init.record;
  }

  /** Points the request at a backend for the next attempt. */
  target(backend: BackendConfig, upstreamModel: string, key: string | undefined): void {
    this.backend = backend;
    this.upstreamModel = upstreamModel;
    this.quirks = quirksFor(backend, upstreamModel);
    this.key = key;
    this.keys.push(key);
  }

  /** The client's request in the IR, decoded once. Throws the client-format 400 when it is invalid. */
  chatRequest(): ChatRequest {
    this.decoded ??= this.decode();
    if (this.decoded.request) return this.decoded.request;
    throw this.decoded.error;
  }

  /** Estimated prompt tokens; undefined when the body cannot be decoded (the upstream judges it then). */
  promptEstimate(): number | undefined {
    if (this.estimated === null) {
      this.decoded ??= this.decode();
      this.estimated = this.decoded.request ? estimateRequestTokens(this.decoded.request) : undefined;
    }
    return this.estimated;
  }

  /** Ends the request with an error: a proper error response, or an error event once streaming. */
  fail(error: ApiError): void {
    answerError(this.client, this.record, this.clientFormat, error, this.requestedModel);
  }

  private decode(): { request?: ChatRequest; error?: unknown } {
    // count_tokens bodies have no max_tokens and never stream; the request decoder wants both settled.
    const body =
      this.operation === 'count_tokens'
        ? { ...this.body, max_tokens: typeof this.body.max_tokens === 'number' ? this.body.max_tokens : 1, stream: false }
        : this.body;
    try {
      // A follow-up (`previous_response_id`) is served with the stored conversation before it.
      return { request: this.deps.responsesStore.expand(codecFor(this.clientFormat).decodeRequest(body)) };
    } catch (error) {
      return { error };
    }
  }
}

/** An error answer: an error response, or an error event when the response is under way. */
export function answerError(client: ClientStream, record: RequestRecord, format: WireFormat, error: ApiError, requestedModel = ''): void {
  if (client.isGone) return;
  record.failed(error, client.hasContent);
  if (!client.isCommitted) {
    const encoded = encodeClientError(format, error);
    client.sendJson(encoded.status, encoded.headers, encoded.body);
    return;
  }
  client.end(errorEventText(format, error, requestedModel));
}

export function errorEventText(format: WireFormat, error: ApiError, requestedModel: string): string {
  return codecFor(format).wire.streamErrorEventText(error, requestedModel);
}
