/** One proxied request: who asked, which backend serves it, and the client side of the wire. */
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { WireFormat } from '../../codecs/codec';
import type { BackendConfig } from '../../config/schema';
import type { Usage } from '../../ir/conversation';
import type { ApiError } from '../../ir/errors';
import { ToolNameMap } from '../../translate/tool-names';
import { codecFor } from '../codec-for';
import { encodeClientError } from '../client-errors';
import type { ClientStream } from '../sse/client-stream';
import type { UpstreamSender } from '../upstream/upstream-client';

export type Json = Record<string, unknown>;

/** What a path reports about its exchange (for the request log and live stats). */
export interface ExchangeObserver {
  /** The body as sent upstream. */
  upstreamRequest(body: Json): void;
  /** Usage so far (IR semantics; cumulative values, the latest wins). */
  usage(usage: Usage): void;
  /** The client was answered with this error; `cut`: it ended a response already under way. */
  failed(error: ApiError, cut: boolean): void;
}

export interface Exchange {
  clientFormat: WireFormat;
  body: Json;
  clientHeaders: IncomingHttpHeaders;
  requestedModel: string;
  backend: BackendConfig;
  upstreamModel: string;
  /** The backend's key for this request (undefined for `apiKey: "none"`). */
  key: string | undefined;
  client: ClientStream;
  /** Aborted when the client hangs up (or the exchange is over). */
  signal: AbortSignal;
  upstream: UpstreamSender;
  pingIntervalMs: number;
  log: FastifyBaseLogger;
  observer: ExchangeObserver;
}

/** Ends the exchange with an error: a proper error response, or an error event once streaming. */
export function failExchange(ex: Pick<Exchange, 'client' | 'clientFormat' | 'requestedModel' | 'observer'>, error: ApiError): void {
  if (ex.client.isGone) return;
  ex.observer.failed(error, ex.client.hasContent);
  if (!ex.client.isCommitted) {
    const encoded = encodeClientError(ex.clientFormat, error);
    ex.client.sendJson(encoded.status, encoded.headers, encoded.body);
    return;
  }
  ex.client.end(errorEventText(ex.clientFormat, error, ex.requestedModel));
}

export function errorEventText(format: WireFormat, error: ApiError, requestedModel: string): string {
  const encoder = codecFor(format).createStreamEncoder({ toolNames: new ToolNameMap([]), requestedModel });
  const text = encoder.encode({ type: 'error', error });
  if (text) return text;
  const body = encodeClientError(format, error).body;
  return format === 'anthropic' ? `event: error\ndata: ${body}\n\n` : `data: ${body}\n\n`;
}
