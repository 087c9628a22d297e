/**
 * A request-log entry being recorded. The proxy starts one when a request arrives, updates it
 * as it learns things (backend, models, status, tokens, bytes), and finishes it once. `finish`
 * is idempotent so it can be called both from the normal end and from a close handler:
 *
 *   const entry = log.startEntry({ inboundFormat: 'anthropic', userAgent, path, bytesIn });
 *   reply.raw.on('close', () => entry.finish(reply.raw.writableFinished ? {} : { aborted: true }));
 *
 * Whichever call comes first writes the entry; later updates and finishes are ignored.
 */
import type { WireFormat } from '../codecs/codec';
import { agentFromUserAgent } from './agent-from-user-agent';
import { BoundedTextCollector, captureBody } from './body-capture';
import { isoTime } from './iso-time';
import type { Redactor } from './redact';
import { withoutBodies, type RequestEntry, type TokenCounts } from './request-entry';

export interface EntryStart {
  inboundFormat: WireFormat;
  /** Agent name; derived from `userAgent` when absent. */
  agent?: string;
  userAgent?: string;
  path?: string;
  modelRequested?: string;
  backend?: string;
  streamed?: boolean;
  bytesIn?: number;
  /** Supply an id (e.g. the proxy's request id); generated otherwise. */
  id?: string;
}

export type EntryUpdate = Partial<
  Pick<
    RequestEntry,
    | 'agent'
    | 'path'
    | 'backend'
    | 'failoverFrom'
    | 'overflowFrom'
    | 'notes'
    | 'modelRequested'
    | 'modelUsed'
    | 'upstreamId'
    | 'status'
    | 'error'
    | 'aborted'
    | 'streamed'
    | 'retries'
    | 'queueWaitMs'
    | 'bytesIn'
    | 'bytesOut'
    | 'ttftMs'
  >
> & { tokens?: Partial<TokenCounts> };

export type BodyKind = 'request' | 'upstreamRequest' | 'response';

export interface EntryHandleDeps {
  id: string;
  now: () => number;
  redactor: Redactor;
  keepBodies: boolean;
  bodyLimit: number;
  /** Receives the finished entry (exactly once). */
  sink: (entry: RequestEntry) => void;
  /** Told when something about the entry changed while in flight (the log's live view). */
  changed?: () => void;
}

export const ABORTED_MESSAGE = 'client disconnected before the response completed';
/** An upstream's id is its own text: kept to a sane length in the log. */
const MAX_UPSTREAM_ID = 200;

export class EntryHandle {
  readonly id: string;
  private readonly startedAt: number;
  private readonly entry: RequestEntry;
  private responseText: BoundedTextCollector | undefined;
  private done = false;

  constructor(
    start: EntryStart,
    private readonly deps: EntryHandleDeps,
  ) {
    this.id = deps.id;
    this.startedAt = deps.now();
    this.entry = {
      id: deps.id,
      time: '', // written out when first read (stamped): off the request's way to its upstream
      agent: start.agent ?? agentFromUserAgent(start.userAgent),
      inboundFormat: start.inboundFormat,
      status: 0,
      latencyMs: 0,
      tokens: { input: 0, output: 0, cached: 0 },
      streamed: start.streamed ?? false,
      retries: 0,
      queueWaitMs: 0,
      bytesIn: start.bytesIn ?? 0,
      bytesOut: 0,
    };
    if (start.path !== undefined) this.entry.path = start.path;
    if (start.modelRequested !== undefined) this.entry.modelRequested = start.modelRequested;
    if (start.backend !== undefined) this.entry.backend = start.backend;
  }

  get finished(): boolean {
    return this.done;
  }

  /** The entry as known so far (in flight: latency is the time so far; no bodies). */
  current(): RequestEntry {
    const copy: RequestEntry = withoutBodies(this.stamped());
    copy.tokens = { ...this.entry.tokens };
    copy.latencyMs = this.done ? this.entry.latencyMs : this.elapsedMs();
    return copy;
  }

  /** The entry as it is now, not copied (read it at once; the log's start line is made from it). */
  peek(): Readonly<RequestEntry> {
    return this.stamped();
  }

  /** The entry, with its start time as ISO text. */
  private stamped(): RequestEntry {
    if (this.entry.time === '') this.entry.time = isoTime(this.startedAt);
    return this.entry;
  }

  /** Milliseconds since the entry started (by the log's clock). */
  elapsedMs(): number {
    return Math.max(0, this.deps.now() - this.startedAt);
  }

  update(patch: EntryUpdate): this {
    if (this.done) return this;
    // A for-in over the patch: no rest copy and no entries array, several times per request.
    const entry = this.entry as unknown as Record<string, unknown>;
    for (const key in patch) {
      const value = patch[key as keyof EntryUpdate];
      if (key !== 'tokens' && value !== undefined) entry[key] = value;
    }
    const tokens = patch.tokens;
    if (tokens) {
      const t = this.entry.tokens;
      this.entry.tokens = { input: tokens.input ?? t.input, output: tokens.output ?? t.output, cached: tokens.cached ?? t.cached };
    }
    this.deps.changed?.();
    return this;
  }

  /** The first token went out to the client: records time to first token (once). */
  firstToken(): void {
    if (this.done || this.entry.ttftMs !== undefined) return;
    this.entry.ttftMs = this.elapsedMs();
    this.deps.changed?.();
  }

  /**
   * The upstream's own response id (from the response body, `message_start` or the first
   * chunk). Empty ids are ignored; a later attempt's id replaces an earlier one's.
   */
  setUpstreamId(id: string | undefined): void {
    if (this.done || !id) return;
    this.entry.upstreamId = id.length > MAX_UPSTREAM_ID ? id.slice(0, MAX_UPSTREAM_ID) : id;
    this.deps.changed?.();
  }

  /** One more attempt upstream after a failure. */
  retried(): void {
    if (this.done) return;
    this.entry.retries += 1;
    this.deps.changed?.();
  }

  addBytesOut(bytes: number): void {
    if (!this.done) this.entry.bytesOut += bytes;
  }

  /** Keep a body (redacted and capped) when the log keeps bodies. */
  setBody(kind: BodyKind, body: unknown): void {
    if (this.done || !this.deps.keepBodies) return;
    this.entry.bodies ??= {};
    this.entry.bodies[kind] = captureBody(body, this.deps.redactor, this.deps.bodyLimit);
    if (kind === 'response') this.responseText = undefined;
  }

  /** Add streamed response text (kept up to the cap; memory stays bounded). */
  appendResponse(chunk: string | Uint8Array): void {
    if (this.done || !this.deps.keepBodies) return;
    this.responseText ??= new BoundedTextCollector(this.deps.bodyLimit);
    this.responseText.push(chunk);
  }

  /** Complete the entry and hand it to the log. Only the first call counts; returns the entry then. */
  finish(patch: EntryUpdate = {}): RequestEntry | undefined {
    if (this.done) return undefined;
    this.update(patch);
    this.done = true;
    const e = this.stamped();
    e.latencyMs = this.elapsedMs();
    if (e.aborted && e.error === undefined) e.error = ABORTED_MESSAGE;
    if (e.error !== undefined) e.error = this.deps.redactor.redact(e.error);
    if (e.upstreamId !== undefined) e.upstreamId = this.deps.redactor.redact(e.upstreamId);
    if (this.responseText && !this.responseText.empty) {
      e.bodies ??= {};
      e.bodies.response = this.responseText.capture(this.deps.redactor);
      this.responseText = undefined;
    }
    this.deps.sink(e);
    return e;
  }

  /** Finish as cut short (client hung up, stream aborted). */
  abort(reason: string = ABORTED_MESSAGE): RequestEntry | undefined {
    return this.finish({ aborted: true, error: this.entry.error ?? reason });
  }
}
