/**
 * The request log: NDJSON lines in `<dataDir>/logs/requests-<n>.ndjson`, rotated by size and kept
 * to a number of files. A request writes a small start line when it starts and its whole entry
 * when it ends; after a restart a start with no end is listed as `interrupted` (load-index.ts).
 *
 * Appends never wait on the disk: `startEntry` and `append` queue and return; one flush loop
 * writes queued lines in order (so lines never interleave), at most once per `flushDelayMs` (one
 * file write, one thread-pool round trip for all the requests of that interval, not one per
 * request), and `close()` flushes what is left. A start line is made at flush time, from what is
 * known then, and not at all when the request already ended (a request shorter than the delay
 * costs one line, as before). "Lost on SIGKILL" is therefore: requests that started less than
 * `flushDelayMs` (plus the write in progress) before the kill; any earlier one is on disk. Each
 * batch is fdatasync'ed (`sync`, default on), so the same holds for a power cut, give or take the
 * sync in progress.
 *
 * Disk trouble never reaches a request: a failed write keeps its lines queued (bounded by
 * `maxQueued` lines and `maxQueuedBytes`) and tries again every `retryDelayMs`;
 * `getHealth().failing` says since when and why until a write succeeds. Entries not yet on disk are served from memory. The live rows
 * (`inFlight`, the `started` / `updated` / `finished` events) are the same records the start
 * and end lines are made from.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_BODY_LIMIT } from './body-capture';
import { EntryHandle } from './entry-handle';
import type { EntryStart } from './entry-handle';
import { parseStoredEntry } from './entry-schema';
import { loadIndex } from './load-index';
import { LogIndex } from './log-index';
import type { IndexRecord, ListedSummary, ListPage, ListQuery } from './log-index';
import { Redactor } from './redact';
import { summarize, type RequestEntry } from './request-entry';
import { readLineAt } from './segment-files';
import { SegmentWriter } from './segment-writer';
import { startLineOf, startSignature } from './start-line';

export interface RequestLogOptions {
  /** Patchbay's data directory; the log lives in its `logs/` folder. */
  dataDir: string;
  /** Rotate when a file would grow past this (default 10 MiB). */
  maxFileBytes?: number;
  /** Keep at most this many files (default 10). */
  maxFiles?: number;
  /** Keep request/response bodies (default false). */
  keepBodies?: boolean;
  /** Cap per kept body, in characters (default 64 KiB). */
  bodyLimit?: number;
  /** Configured keys and tokens: replaced wherever they appear. */
  knownSecrets?: Iterable<string>;
  /** Entries kept in the in-memory index for listing (default 20 000). */
  indexLimit?: number;
  /** Queued lines beyond this are dropped (counted) if the disk stalls or fails (default 10 000). */
  maxQueued?: number;
  /** ... and beyond this many bytes (default 32 MiB: entries may carry bodies). */
  maxQueuedBytes?: number;
  /** Lines appended within this many ms go to disk in one write (default 50). */
  flushDelayMs?: number;
  /** After a failed write, try again this often (default 1000 ms). */
  retryDelayMs?: number;
  /**
   * fdatasync after each batch (default true), so a power cut keeps what a kill keeps. Per batch,
   * not per request, in the thread pool: the request path never waits for it.
   */
  sync?: boolean;
  now?: () => number;
  /** Write failures (default: printed once per distinct message). */
  onError?: (error: unknown) => void;
}

export interface RequestLogHealth {
  /** Lines skipped while loading (torn or corrupt). */
  skippedLines: number;
  /** Requests found interrupted at load (started, never ended). */
  interrupted: number;
  /** Failed write attempts. */
  writeErrors: number;
  /** Lines dropped because the write queue was full (or the log closed with lines it could not write). */
  dropped: number;
  /** Set while writes fail (since the first failure, with the latest error); null once one succeeds. */
  failing: { since: string; message: string } | null;
}

/** What the log tells its observers (the admin API's live log): a request started, changed, finished. */
export interface EntryEvent {
  type: 'started' | 'updated' | 'finished';
  summary: ListedSummary;
}
export type EntryListener = (event: EntryEvent) => void;

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 10;
export const DEFAULT_INDEX_LIMIT = 20_000;

/** A request in flight: its listed record, its handle, and where its start line stands. */
interface LiveRequest {
  record: IndexRecord;
  handle: EntryHandle;
  /** A start line is queued and not yet written. */
  startQueued: boolean;
  /** `startSignature` of the last start line written (undefined before the first). */
  startWritten?: string;
}

type QueuedLine = { kind: 'end'; record: IndexRecord; line: Buffer } | { kind: 'start'; live: LiveRequest };

export class RequestLog {
  private readonly queue: QueuedLine[] = [];
  /** Bytes of the entry lines in `queue`. */
  private queuedBytes = 0;
  private flushing: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Index entries in segments below this were dropped (their files are gone). */
  private retainedFloor = 0;
  private keepBodies: boolean;
  private readonly health: RequestLogHealth = { skippedLines: 0, interrupted: 0, writeErrors: 0, dropped: 0, failing: null };
  private readonly healthListeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;
  /** Records of requests in flight, by entry id. */
  private readonly live = new Map<string, LiveRequest>();
  /** Requests started and not listed yet (startEntry), oldest first. */
  private readonly unlisted: EntryHandle[] = [];
  private readonly entryListeners = new Set<EntryListener>();

  private constructor(
    readonly dir: string,
    private readonly options: RequestLogOptions,
    private readonly index: LogIndex,
    private readonly writer: SegmentWriter,
    private readonly redactor: Redactor,
  ) {
    this.keepBodies = options.keepBodies ?? false;
    this.now = options.now ?? Date.now;
    const seen = new Set<string>();
    this.onError =
      options.onError ??
      ((error) => {
        const message = error instanceof Error ? error.message : String(error);
        if (seen.has(message)) return;
        seen.add(message);
        console.error(`patchbay: request log write failed: ${message}`);
      });
  }

  static async open(options: RequestLogOptions): Promise<RequestLog> {
    const dir = join(options.dataDir, 'logs');
    const index = new LogIndex(options.indexLimit ?? DEFAULT_INDEX_LIMIT);
    const loaded = await loadIndex(dir, index, options.indexLimit ?? DEFAULT_INDEX_LIMIT);
    const writer = await SegmentWriter.open(dir, {
      maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      maxFiles: options.maxFiles ?? DEFAULT_MAX_FILES,
      sync: options.sync ?? true,
      ...(options.now ? { now: options.now } : {}),
    });
    index.dropBefore(writer.oldestRetained);
    const log = new RequestLog(dir, options, index, writer, new Redactor(options.knownSecrets ?? []));
    log.health.skippedLines = loaded.skippedLines;
    log.health.interrupted = loaded.interrupted;
    // A folder that cannot be used is the log failing, not Patchbay failing to start.
    const openError = writer.openError ?? loaded.error;
    if (openError !== undefined) {
      log.writeFailed(openError);
      log.scheduleRetry();
    }
    return log;
  }

  /** Replace the known secrets (after the configured keys or tokens change). */
  setKnownSecrets(secrets: Iterable<string>): void {
    this.redactor.setKnownSecrets(secrets);
  }

  setKeepBodies(keep: boolean): void {
    this.keepBodies = keep;
  }

  getHealth(): RequestLogHealth {
    return { ...this.health, failing: this.health.failing ? { ...this.health.failing } : null };
  }

  /** Be told when the log starts or stops failing; returns the unsubscribe function. */
  onHealthChange(listener: () => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  get keepsBodies(): boolean {
    return this.keepBodies;
  }

  /** Requests started and not finished. */
  get inFlight(): number {
    this.listStarted();
    return this.live.size;
  }

  /** Be told of requests starting, changing and finishing; returns the unsubscribe function. */
  onEntry(listener: EntryListener): () => void {
    this.entryListeners.add(listener);
    return () => this.entryListeners.delete(listener);
  }

  /**
   * Start recording a request; finish the handle (idempotently) when it ends, however it ends.
   * Until then it is listed (and `get` answers it) marked `inFlight`.
   *
   * Listing it is left to the next turn of the event loop (or the first read of the log before
   * that), so the request's own path to its upstream does not wait for it: its index record, its
   * start line and the `started` event come then, from what is known by then. A request that
   * ends before that is listed once, finished.
   */
  startEntry(start: EntryStart): EntryHandle {
    const handle: EntryHandle = new EntryHandle(start, {
      id: start.id ?? newEntryId(),
      now: this.now,
      redactor: this.redactor,
      keepBodies: this.keepBodies,
      bodyLimit: this.options.bodyLimit ?? DEFAULT_BODY_LIMIT,
      sink: (entry) => this.append(entry),
      changed: () => {
        const live = this.live.get(handle.id);
        if (!live) return; // not listed yet: its listing will show the change
        this.startChanged(live);
        this.tell('updated', () => liveSummary(handle));
      },
    });
    if (!this.closed) {
      this.unlisted.push(handle);
      if (this.unlisted.length === 1) setImmediate(this.listStarted);
    }
    return handle;
  }

  /** Lists the requests started since the last call (see startEntry), in the order they started. */
  private readonly listStarted = (): void => {
    if (this.unlisted.length === 0) return;
    const started = this.unlisted.splice(0, this.unlisted.length);
    if (this.closed) return;
    for (const handle of started) {
      if (handle.finished) continue;
      const record = this.index.addLive(handle.current(), () => liveSummary(handle));
      const live: LiveRequest = { record, handle, startQueued: true };
      this.live.set(handle.id, live);
      this.enqueue({ kind: 'start', live });
      this.tell('started', () => liveSummary(handle));
    }
  };

  /** Queue a complete entry for writing. Returns at once; never throws for disk trouble. */
  append(entry: RequestEntry): void {
    const live = this.live.get(entry.id);
    this.live.delete(entry.id);
    if (this.closed) {
      this.health.dropped += 1;
      return;
    }
    let record: IndexRecord;
    if (live) {
      record = live.record;
      this.index.complete(record, entry);
    } else {
      record = this.index.add(entry, { pending: entry });
    }
    this.tell('finished', () => record.summary);
    this.enqueue({ kind: 'end', record, line: Buffer.from(JSON.stringify(entry), 'utf8') });
  }

  /** Newest first, filtered, paged. */
  list(query: ListQuery = {}): ListPage {
    this.listStarted();
    return this.index.list(query);
  }

  /** One entry with its bodies (when kept), or undefined. */
  async get(id: string): Promise<(RequestEntry & { inFlight?: true }) | undefined> {
    this.listStarted();
    const live = this.live.get(id);
    if (live) return { ...live.handle.current(), inFlight: true };
    const record = this.index.get(id);
    if (!record) return undefined;
    if (record.pending) return record.pending;
    const { hasBodies: _hasBodies, ...summary } = record.summary;
    if (!record.location || !record.summary.hasBodies) return summary;
    const { segment, offset, length } = record.location;
    try {
      return parseStoredEntry(await readLineAt(this.dir, segment, offset, length)) ?? summary;
    } catch {
      return summary; // file rotated away meanwhile
    }
  }

  /**
   * Resolves when everything appended so far is on disk, or an attempt to write it failed (a
   * retry that was waiting is made at once).
   */
  async flush(): Promise<void> {
    this.listStarted();
    if (this.retryTimer && !this.flushing) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.scheduleFlush(0);
    }
    while (this.flushing) await this.flushing;
  }

  /** Flush and close; later appends are dropped, and so are lines the disk still refuses. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.health.dropped += this.queue.length;
    this.queue.length = 0;
    this.queuedBytes = 0;
    await this.writer.close();
  }

  private enqueue(item: QueuedLine): void {
    this.queue.push(item);
    if (item.kind === 'end') this.queuedBytes += item.line.length;
    this.trimQueue();
    this.scheduleFlush();
  }

  /** Keep the queue within its bounds (lines and bytes: a disk that stays full must not fill memory), dropping the oldest. */
  private trimQueue(): void {
    const maxLines = this.options.maxQueued ?? 10_000;
    const maxBytes = this.options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    while (this.queue.length > maxLines || (this.queuedBytes > maxBytes && this.queue.length > 1)) {
      const lost = this.queue.shift()!;
      if (lost.kind === 'start') lost.live.startQueued = false;
      else this.queuedBytes -= lost.line.length;
      this.health.dropped += 1;
    }
  }

  /** The backend or model became known after the start line was written: write it again (the newest start wins). */
  private startChanged(live: LiveRequest): void {
    if (live.startQueued || live.startWritten === undefined || this.closed) return;
    if (startSignature(live.handle.peek()) === live.startWritten) return;
    live.startQueued = true;
    this.enqueue({ kind: 'start', live });
  }

  /** The summary is made only when someone listens (the hot path of every request calls this). */
  private tell(type: EntryEvent['type'], summaryOf: () => ListedSummary): void {
    if (this.entryListeners.size === 0) return;
    const summary = summaryOf();
    for (const listener of this.entryListeners) {
      try {
        listener({ type, summary });
      } catch {
        /* an observer's failure is not the request's */
      }
    }
  }

  private scheduleFlush(delay = this.options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS): void {
    // While failing, only the retry timer (or an explicit flush) tries the disk again.
    if (this.flushing || this.retryTimer) return;
    this.flushing = this.drain(delay).finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0 && !this.retryTimer) this.scheduleFlush();
    });
  }

  private async drain(delay: number): Promise<void> {
    // Let the hot path finish first, and gather the lines of the next few ms into one write.
    await new Promise<void>((resolve) => (delay > 0 ? setTimeout(resolve, delay) : setImmediate(resolve)));
    // While failing, an attempt is made even with nothing queued (an empty write opens the file):
    // the failure clears as soon as the disk works, not at the next request.
    while (this.queue.length > 0 || this.health.failing !== null) {
      const batch = this.queue.splice(0, this.queue.length);
      this.queuedBytes = 0;
      const items: QueuedLine[] = [];
      const lines: Buffer[] = [];
      const signatures: string[] = [];
      for (const q of batch) {
        if (q.kind === 'start') {
          q.live.startQueued = false;
          if (q.live.handle.finished) continue; // its end line is in this batch: the start adds nothing
          const entry = q.live.handle.peek();
          signatures[items.length] = startSignature(entry);
          lines.push(startLineOf(entry));
        } else lines.push(q.line);
        items.push(q);
      }
      if (lines.length === 0 && this.health.failing === null) continue;
      const { locations, error } = await this.writer.write(lines);
      locations.forEach((location, i) => {
        const q = items[i]!;
        if (q.kind === 'end') this.index.settle(q.record, location);
        else q.live.startWritten = signatures[i]!;
      });
      if (this.writer.oldestRetained > this.retainedFloor) {
        this.retainedFloor = this.writer.oldestRetained;
        this.index.dropBefore(this.retainedFloor);
      }
      if (error !== undefined) {
        this.requeue(items.slice(locations.length));
        this.writeFailed(error);
        this.scheduleRetry();
        return;
      }
      this.writeSucceeded();
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.scheduleFlush(0);
    }, this.options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS);
    this.retryTimer.unref();
  }

  /** Lines a failed write left: back at the front, in order, within the queue's bound. */
  private requeue(items: QueuedLine[]): void {
    for (const q of items) if (q.kind === 'start') q.live.startQueued = true;
    this.queue.unshift(...items);
    for (const q of items) if (q.kind === 'end') this.queuedBytes += q.line.length;
    this.trimQueue();
  }

  private writeFailed(error: unknown): void {
    this.health.writeErrors += 1;
    this.onError(error); // entries stay readable from memory (pending)
    const message = error instanceof Error ? error.message : String(error);
    const wasFailing = this.health.failing !== null;
    this.health.failing = { since: this.health.failing?.since ?? new Date(this.now()).toISOString(), message };
    if (!wasFailing) this.healthChanged();
  }

  private writeSucceeded(): void {
    if (this.health.failing === null) return;
    this.health.failing = null;
    this.healthChanged();
  }

  private healthChanged(): void {
    for (const listener of this.healthListeners) {
      try {
        listener();
      } catch {
        /* an observer's failure is not the log's */
      }
    }
  }
}

const DEFAULT_FLUSH_DELAY_MS = 50;
const DEFAULT_RETRY_DELAY_MS = 1000;
const DEFAULT_MAX_QUEUED_BYTES = 32 * 1024 * 1024;

function liveSummary(handle: EntryHandle): ListedSummary {
  return { ...summarize(handle.current()), hasBodies: false, inFlight: true };
}

/** `req_` + time + 12 random hex digits (from randomUUID's pooled entropy: no system call per id). */
export function newEntryId(): string {
  const uuid = randomUUID(); // xxxxxxxx-xxxx-4xxx-...: the first 12 hex digits are all random
  return `req_${Date.now().toString(36)}${uuid.slice(0, 8)}${uuid.slice(9, 13)}`;
}
