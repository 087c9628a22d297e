/**
 * The request-log entry of one client request, fed by the client stream (status, bytes, time
 * to first token, response text) and the exchange (backend, models, tokens, errors, retries,
 * queue wait). Without a request log every call is a no-op. The entry is finished once: at the
 * end of the exchange, or at once (as aborted) when the client hangs up.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WireFormat } from '../../codecs/codec';
import type { Usage } from '../../ir/conversation';
import type { ApiError } from '../../ir/errors';
import { agentFromHeaders } from '../../log/agent-from-user-agent';
import type { EntryHandle } from '../../log/entry-handle';
import type { TokenCounts } from '../../log/request-entry';
import type { RequestLog } from '../../log/request-log';
import type { ClientStreamObserver } from '../sse/client-stream';
import type { ExchangeObserver, Json } from './exchange';

export const REQUEST_ID_HEADER = 'x-patchbay-request-id';

export interface RecordStart {
  inboundFormat: WireFormat;
  headers: IncomingHttpHeaders;
  /** The URL called (query string dropped). */
  url: string;
}

export class RequestRecord implements ClientStreamObserver, ExchangeObserver {
  private readonly entry: EntryHandle | undefined;
  private counts: TokenCounts = { input: 0, output: 0, cached: 0 };
  private queueWait = 0;
  private errored = false;

  constructor(log: RequestLog | undefined, start: RecordStart) {
    this.entry = log?.startEntry({
      inboundFormat: start.inboundFormat,
      agent: agentFromHeaders(start.headers),
      path: start.url.split('?', 1)[0] ?? start.url,
      bytesIn: contentLength(start.headers),
    });
  }

  /** The entry id (the `x-patchbay-request-id` header), undefined without a log. */
  get id(): string | undefined {
    return this.entry?.id;
  }

  get tokens(): TokenCounts {
    return { ...this.counts };
  }

  /** An error was answered (or the stream was cut). */
  get failedAlready(): boolean {
    return this.errored;
  }

  started(body: Json): void {
    this.entry?.update({ modelRequested: String(body.model), streamed: body.stream === true });
    this.entry?.setBody('request', body);
  }

  served(backendId: string, upstreamModel: string, failoverFrom: string | undefined): void {
    this.entry?.update({ backend: backendId, modelUsed: upstreamModel, ...(failoverFrom !== undefined ? { failoverFrom } : {}) });
  }

  retried(): void {
    this.entry?.retried();
  }

  addQueueWait(ms: number): void {
    this.queueWait += Math.max(0, ms);
    this.entry?.update({ queueWaitMs: this.queueWait });
  }

  // ClientStreamObserver
  committed(status: number): void {
    this.entry?.update({ status });
  }

  wrote(chunk: string | Uint8Array, content: boolean): void {
    if (!this.entry) return;
    this.entry.addBytesOut(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength);
    if (content) this.entry.firstToken();
    this.entry.appendResponse(chunk);
  }

  // ExchangeObserver
  upstreamRequest(body: Json): void {
    this.entry?.setBody('upstreamRequest', body);
  }

  usage(usage: Usage): void {
    // Values are cumulative: never let a later, partial report lower a count.
    this.counts = {
      input: Math.max(this.counts.input, usage.inputTokens),
      output: Math.max(this.counts.output, usage.outputTokens),
      cached: Math.max(this.counts.cached, usage.cacheReadTokens ?? 0),
    };
    this.entry?.update({ tokens: this.counts });
  }

  failed(error: ApiError, cut: boolean): void {
    this.errored = true;
    this.entry?.update({ error: error.message, ...(cut ? { aborted: true } : {}) });
  }

  /** The client hung up before the response completed. */
  clientGone(): void {
    this.entry?.abort();
  }

  finish(): void {
    this.entry?.finish();
  }
}

function contentLength(headers: IncomingHttpHeaders): number {
  const n = Number(headers['content-length']);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}
