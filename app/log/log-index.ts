/**
 * In-memory index of the most recent request-log entries (summaries plus where each line
 * sits on disk), newest last. Serves `list` with filters and cursor paging without touching
 * the disk; `get` uses the location to read bodies back.
 */
import type { RequestEntry, RequestSummary } from './request-entry';
import { summarize } from './request-entry';
import { matchesFilter } from './request-filter';
import type { RequestFilter } from './request-filter';
import type { LineLocation } from './segment-writer';

/** A summary as listed: `inFlight` while the request has started and not finished. */
export type ListedSummary = RequestSummary & { inFlight?: true };

export interface IndexRecord {
  seq: number;
  summary: RequestSummary;
  /** While the request is in flight: its summary so far (listed in its start position). */
  live?: () => ListedSummary;
  /** Where the line is on disk, once written. */
  location?: LineLocation;
  /** The whole entry, kept until it is on disk. */
  pending?: RequestEntry;
}

export interface ListQuery extends RequestFilter {
  limit?: number;
  cursor?: string;
}

export interface ListPage {
  /** Newest first (by start), in-flight requests included and marked. */
  items: ListedSummary[];
  /** Pass as `cursor` for the next (older) page; null when there is none. */
  nextCursor: string | null;
}

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;

export class LogIndex {
  private records: IndexRecord[] = [];
  private readonly byId = new Map<string, IndexRecord>();
  private nextSeq = 1;

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.records.length;
  }

  /** Add a newer entry (from a write or, oldest first, from loading the files). */
  add(entry: RequestEntry, where: { location?: LineLocation; pending?: RequestEntry }): IndexRecord {
    // Every record has all its fields from the start, and they are cleared, never deleted: a
    // `delete` turns an object into a dictionary, and the index keeps up to 20,000 of them
    // (measured with their summaries: ~850 bytes a record that way, ~440 without).
    const record: IndexRecord = { seq: this.nextSeq++, summary: summarize(entry), live: undefined, location: where.location, pending: where.pending };
    this.records.push(record);
    this.byId.set(entry.id, record);
    if (this.records.length > this.cap + Math.ceil(this.cap / 10)) this.trimTo(this.cap);
    return record;
  }

  /** Add a request that started (listed as in flight until `complete`). */
  addLive(entry: RequestEntry, live: () => ListedSummary): IndexRecord {
    const record = this.add(entry, {});
    record.live = live;
    return record;
  }

  /** The in-flight request finished: its final entry replaces the live view, in place. */
  complete(record: IndexRecord, entry: RequestEntry): void {
    record.live = undefined;
    record.summary = summarize(entry);
    record.pending = entry;
  }

  /** The entry's line is now on disk. */
  settle(record: IndexRecord, location: LineLocation): void {
    record.location = location;
    record.pending = undefined;
  }

  /** Forget entries in files retention deleted (segments numbered below `segment`). */
  dropBefore(segment: number): void {
    const keep: IndexRecord[] = [];
    for (const r of this.records) {
      if (!r.live && r.location && r.location.segment < segment) this.forget(r);
      else keep.push(r);
    }
    this.records = keep;
  }

  get(id: string): IndexRecord | undefined {
    return this.byId.get(id);
  }

  list(query: ListQuery): ListPage {
    const limit = Math.min(Math.max(1, Math.floor(query.limit ?? DEFAULT_LIST_LIMIT)), MAX_LIST_LIMIT);
    const before = decodeCursor(query.cursor);
    let i = this.records.length - 1;
    if (before !== undefined) i = this.lastIndexBelow(before);
    const items: ListedSummary[] = [];
    let lastSeq = 0;
    for (; i >= 0; i--) {
      const r = this.records[i]!;
      const summary = r.live ? r.live() : r.summary;
      // An in-flight request has no status yet: a status filter does not list it.
      if (r.live && query.status) continue;
      if (!matchesFilter(summary, query)) continue;
      if (items.length === limit) return { items, nextCursor: encodeCursor(lastSeq) };
      items.push(summary);
      lastSeq = r.seq;
    }
    return { items, nextCursor: null };
  }

  /** Index of the last record with seq < `seq` (records are in ascending seq order). */
  private lastIndexBelow(seq: number): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.records[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  private trimTo(count: number): void {
    const excess = this.records.length - count;
    if (excess <= 0) return;
    for (const r of this.records.slice(0, excess)) this.forget(r);
    this.records = this.records.slice(excess);
  }

  private forget(record: IndexRecord): void {
    if (this.byId.get(record.summary.id) === record) this.byId.delete(record.summary.id);
  }
}

function encodeCursor(seq: number): string {
  return Buffer.from(`s${seq}`).toString('base64url');
}

/** undefined for no cursor; a malformed cursor reads as "from the newest". */
function decodeCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  const m = /^s(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m?.[1] ? Number(m[1]) : undefined;
}

export function isValidCursor(cursor: string): boolean {
  return decodeCursor(cursor) !== undefined;
}
