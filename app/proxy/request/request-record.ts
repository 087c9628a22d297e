/**
 * The record of one client request in the request log and the live stats. The log entry is fed
 * by the client stream (status, bytes, time to first token, response text) and the request
 * (backend, models, tokens, errors, retries, queue wait); the stats hear each upstream attempt
 * (start, answer, end), retries and time in a queue. Without a log or stats those calls are
 * no-ops. The entry is finished once: at the end of the request, or at once (as aborted) when
 * the client hangs up. The log writes a start line from the same entry (id, time, agent, format,
 * path, model, backend as known ~50 ms in), so a request cut off by a kill is found afterwards.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WireFormat } from '../../codecs/codec';
import type { Usage } from '../../ir/conversation';
import type { ApiError } from '../../ir/errors';
import { agentFromHeaders } from '../../log/agent-from-user-agent';
import type { EntryHandle, EntryStart } from '../../log/entry-handle';
import type { TokenCounts } from '../../log/request-entry';
import type { RequestLog } from '../../log/request-log';
import type { LiveStats } from '../../stats/live-stats';
import type { ClientStreamObserver } from '../sse/client-stream';
import type { Json } from './proxy-request';

export const REQUEST_ID_HEADER = 'x-patchbay-request-id';

export interface RecordStart {
  inboundFormat: WireFormat;
  headers: IncomingHttpHeaders;
  /** The URL called (the log keeps its path, without the query string). */
  url: string;
  /** The entry id (fastify's request id, so diagnostics name the same id). */
  id?: string;
}

export class RequestRecord implements ClientStreamObserver {
  private readonly entry: EntryHandle | undefined;
  private counts: TokenCounts = { input: 0, output: 0, cached: 0 };
  private queueWait = 0;
  private errored = false;
  /** Stats: the backend of the attempt in progress, its upstream status, the queue we wait in. */
  private attemptOn: string | undefined;
  private attemptStatus = 0;
  private queuedOn: string | undefined;
  private failedOverTo: string | undefined;
  private clientLeft = false;
  private readonly notes: string[] = [];

  constructor(
    log: RequestLog | undefined,
    private readonly stats: LiveStats | undefined,
    start: RecordStart,
  ) {
    this.entry = log?.startEntry(clientEntryStart(start));
  }

  /** The entry id (the `x-patchbay-request-id` header), undefined without a log. */
  get id(): string | undefined {
    return this.entry?.id;
  }

  get tokens(): TokenCounts {
    return { ...this.counts };
  }

  started(body: Json): void {
    this.entry?.update({ modelRequested: String(body.model), streamed: body.stream === true });
    this.entry?.setBody('request', body);
  }

  served(backendId: string, upstreamModel: string, failoverFrom: string | undefined): void {
    this.entry?.update({ backend: backendId, modelUsed: upstreamModel, ...(failoverFrom !== undefined ? { failoverFrom } : {}) });
    // Stats count a failover once per request and target (retries there call this again).
    if (failoverFrom !== undefined && this.failedOverTo !== backendId) {
      this.failedOverTo = backendId;
      this.stats?.failedOver(failoverFrom, backendId);
    }
  }

  /** Something the user should know about how the request was served (kept in the log entry). */
  note(text: string): void {
    this.notes.push(text);
    this.entry?.update({ notes: [...this.notes] });
  }

  /** The prompt did not fit `from`'s context window: `to` serves it. */
  overflowed(from: string, to: string): void {
    this.entry?.update({ overflowFrom: from });
    this.stats?.overflowed(from, to);
  }

  retried(backendId: string): void {
    this.entry?.retried();
    this.stats?.retried(backendId);
  }

  /** Waiting in a backend's queue. */
  queued(backendId: string): void {
    this.leftQueue(0);
    this.queuedOn = backendId;
    this.stats?.queueEntered(backendId);
    // The backend it waits for, until one serves it: a request killed while queued is logged with it.
    if (this.entry && this.entry.peek().backend === undefined) this.entry.update({ backend: backendId });
  }

  /** Out of the queue (granted, refused or given up) after `waitedMs`. */
  leftQueue(waitedMs: number): void {
    if (this.queuedOn === undefined) return;
    this.stats?.queueLeft(this.queuedOn);
    this.queuedOn = undefined;
    this.queueWait += Math.max(0, waitedMs);
    this.entry?.update({ queueWaitMs: this.queueWait });
  }

  // Upstream attempts (live stats)
  attemptSent(backendId: string): void {
    this.attemptEnded({});
    this.attemptOn = backendId;
    this.attemptStatus = 0;
    this.stats?.attemptStarted(backendId);
  }

  attemptAnswered(backendId: string, status: number, headers: IncomingHttpHeaders): void {
    this.attemptStatus = status;
    this.stats?.observeHeaders(backendId, headers);
  }

  /** The attempt is over without an accepted answer (status when there was one). */
  attemptFailed(status?: number): void {
    this.attemptEnded({ ...(status !== undefined ? { status } : {}), failed: true });
  }

  /** The attempt whose answer was relayed is over (no-op when none is open). */
  attemptFinished(threw: boolean): void {
    this.attemptEnded({ status: this.attemptStatus, tokens: this.tokens, failed: threw || this.errored, ...(this.clientLeft ? { clientGone: true } : {}) });
  }

  private attemptEnded(outcome: { status?: number; failed?: boolean; tokens?: TokenCounts; clientGone?: boolean }): void {
    if (this.attemptOn === undefined) return;
    const backendId = this.attemptOn;
    this.attemptOn = undefined;
    this.stats?.attemptEnded(backendId, outcome);
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

  // What the paths report
  /** The upstream's own response id (the client gets Patchbay's). */
  upstreamId(id: string): void {
    this.entry?.setUpstreamId(id);
  }

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
    this.clientLeft = true;
    this.entry?.abort();
  }

  finish(): void {
    this.entry?.finish();
  }
}

/** What the log knows of a client call when it arrives (served or refused: refusals.ts). */
export function clientEntryStart(start: RecordStart): EntryStart {
  return {
    id: start.id,
    inboundFormat: start.inboundFormat,
    agent: agentFromHeaders(start.headers),
    path: start.url.split('?', 1)[0] ?? start.url,
    bytesIn: contentLength(start.headers),
  };
}

function contentLength(headers: IncomingHttpHeaders): number {
  const n = Number(headers['content-length']);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}
