/**
 * The request log: one NDJSON line per proxied request in `<dataDir>/logs/requests-<n>.ndjson`,
 * rotated by size and kept to a number of files. Appends never wait on the disk: `append`
 * queues the line and returns; one flush loop writes queued lines in order (so lines never
 * interleave), at most once per `flushDelayMs` (one file write, one thread-pool round trip for
 * all the requests of that interval, not one per request), and `close()` flushes what is left.
 * Entries not yet on disk are served from memory. On open, the index of recent entries is
 * loaded back from the files (a torn last line from a crash is skipped and cut off).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_BODY_LIMIT } from './body-capture';
import { EntryHandle } from './entry-handle';
import type { EntryStart } from './entry-handle';
import { parseStoredEntry } from './entry-schema';
import { LogIndex } from './log-index';
import type { IndexRecord, ListedSummary, ListPage, ListQuery } from './log-index';
import { Redactor } from './redact';
import { summarize, type RequestEntry } from './request-entry';
import { listSegments, readLineAt, readSegment } from './segment-files';
import { SegmentWriter } from './segment-writer';
import type { LineLocation } from './segment-writer';

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
  /** Queued lines beyond this are dropped (counted) if the disk stalls (default 10 000). */
  maxQueued?: number;
  /** Lines appended within this many ms go to disk in one write (default 50). */
  flushDelayMs?: number;
  now?: () => number;
  /** Write failures (default: printed once per distinct message). */
  onError?: (error: unknown) => void;
}

export interface RequestLogHealth {
  /** Lines skipped while loading (torn or corrupt). */
  skippedLines: number;
  writeErrors: number;
  /** Entries dropped because the write queue was full. */
  dropped: number;
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

interface QueuedLine {
  record: IndexRecord;
  line: Buffer;
}

export class RequestLog {
  private readonly queue: QueuedLine[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;
  /** Index entries in segments below this were dropped (their files are gone). */
  private retainedFloor = 0;
  private keepBodies: boolean;
  private readonly health: RequestLogHealth = { skippedLines: 0, writeErrors: 0, dropped: 0 };
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;
  /** Records of requests in flight, by entry id. */
  private readonly live = new Map<string, { record: IndexRecord; handle: EntryHandle }>();
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
    const skippedLines = await loadIndex(dir, index, options.indexLimit ?? DEFAULT_INDEX_LIMIT);
    const writer = await SegmentWriter.open(dir, {
      maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      maxFiles: options.maxFiles ?? DEFAULT_MAX_FILES,
    });
    index.dropBefore(writer.oldestRetained);
    const log = new RequestLog(dir, options, index, writer, new Redactor(options.knownSecrets ?? []));
    log.health.skippedLines = skippedLines;
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
    return { ...this.health };
  }

  get keepsBodies(): boolean {
    return this.keepBodies;
  }

  /** Requests started and not finished. */
  get inFlight(): number {
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
   */
  startEntry(start: EntryStart): EntryHandle {
    const handle: EntryHandle = new EntryHandle(start, {
      id: start.id ?? newEntryId(),
      now: this.now,
      redactor: this.redactor,
      keepBodies: this.keepBodies,
      bodyLimit: this.options.bodyLimit ?? DEFAULT_BODY_LIMIT,
      sink: (entry) => this.append(entry),
      changed: () => this.tell('updated', liveSummary(handle)),
    });
    if (!this.closed) {
      const record = this.index.addLive(handle.current(), () => liveSummary(handle));
      this.live.set(handle.id, { record, handle });
      this.tell('started', liveSummary(handle));
    }
    return handle;
  }

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
    this.tell('finished', record.summary);
    if (this.queue.length >= (this.options.maxQueued ?? 10_000)) {
      this.queue.shift();
      this.health.dropped += 1;
    }
    this.queue.push({ record, line: Buffer.from(JSON.stringify(entry), 'utf8') });
    this.scheduleFlush();
  }

  /** Newest first, filtered, paged. */
  list(query: ListQuery = {}): ListPage {
    return this.index.list(query);
  }

  /** One entry with its bodies (when kept), or undefined. */
  async get(id: string): Promise<(RequestEntry & { inFlight?: true }) | undefined> {
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

  /** Resolves when everything appended so far is on disk (or failed to write). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Flush and close; later appends are dropped. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.writer.close();
  }

  private tell(type: EntryEvent['type'], summary: ListedSummary): void {
    for (const listener of this.entryListeners) {
      try {
        listener({ type, summary });
      } catch {
        /* an observer's failure is not the request's */
      }
    }
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) this.scheduleFlush();
    });
  }

  private async drain(): Promise<void> {
    // Let the hot path finish first, and gather the lines of the next few ms into one write.
    const delay = this.options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS;
    await new Promise<void>((resolve) => (delay > 0 ? setTimeout(resolve, delay) : setImmediate(resolve)));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.queue.length);
      try {
        const locations = await this.writer.write(batch.map((q) => q.line));
        batch.forEach((q, i) => {
          const location = locations[i];
          if (location) this.index.settle(q.record, location);
        });
        if (this.writer.oldestRetained > this.retainedFloor) {
          this.retainedFloor = this.writer.oldestRetained;
          this.index.dropBefore(this.retainedFloor);
        }
      } catch (error) {
        this.health.writeErrors += 1;
        this.onError(error); // entries stay readable from memory (pending)
      }
    }
  }
}

const DEFAULT_FLUSH_DELAY_MS = 50;

function liveSummary(handle: EntryHandle): ListedSummary {
  return { ...summarize(handle.current()), hasBodies: false, inFlight: true };
}

/** `req_` + time + 12 random hex digits (from randomUUID's pooled entropy: no system call per id). */
export function newEntryId(): string {
  const uuid = randomUUID(); // xxxxxxxx-xxxx-4xxx-...: the first 12 hex digits are all random
  return `req_${Date.now().toString(36)}${uuid.slice(0, 8)}${uuid.slice(9, 13)}`;
}

interface LoadedLine {
  entry: RequestEntry;
  location: LineLocation;
}

/**
 * Fill the index with the newest entries (up to `limit`) from the files, reading the newest
 * file first. Returns how many lines were skipped (torn or not a valid entry).
 */
async function loadIndex(dir: string, index: LogIndex, limit: number): Promise<number> {
  const segments = await listSegments(dir);
  const chunks: LoadedLine[][] = [];
  let total = 0;
  let skippedLines = 0;
  for (let s = segments.length - 1; s >= 0 && total < limit; s--) {
    const segment = segments[s]!;
    const { lines, skipped } = await readSegment(dir, segment);
    skippedLines += skipped;
    const loaded: LoadedLine[] = [];
    for (const line of lines) {
      const entry = parseStoredEntry(line.value);
      if (entry) loaded.push({ entry, location: { segment, offset: line.offset, length: line.length } });
      else skippedLines += 1;
    }
    chunks.unshift(loaded.slice(Math.max(0, loaded.length - (limit - total))));
    total += loaded.length;
  }
  for (const chunk of chunks) for (const { entry, location } of chunk) index.add(entry, { location });
  return skippedLines;
}
