/**
 * The request rows the Log shows: newest last, at most `limit` (the oldest fall off), one row
 * per request id. Live events update a row in place (an in-flight row becomes its finished
 * self); older pages from the log API go in front. Pure functions over immutable arrays.
 */
import type { RequestSummary } from '../../../app/api/contract';

export const DEFAULT_ROW_LIMIT = 20_000;

export interface RowBuffer {
  /** Oldest first. */
  readonly rows: readonly RequestSummary[];
  readonly limit: number;
}

export function emptyRows(limit = DEFAULT_ROW_LIMIT): RowBuffer {
  return { rows: [], limit };
}

function trimmed(rows: RequestSummary[], limit: number): RequestSummary[] {
  return rows.length > limit ? rows.slice(rows.length - limit) : rows;
}

/** A live row: replaces the row with its id (searched from the newest end), else is appended. */
export function upsertRow(buffer: RowBuffer, row: RequestSummary): RowBuffer {
  const { rows } = buffer;
  for (let i = rows.length - 1; i >= 0; i--) {
    if (rows[i]!.id !== row.id) continue;
    // A late `started`/`updated` never undoes a finished row.
    if (row.inFlight && !rows[i]!.inFlight) return buffer;
    const next = rows.slice();
    next[i] = row;
    return { rows: next, limit: buffer.limit };
  }
  return { rows: trimmed([...rows, row], buffer.limit), limit: buffer.limit };
}

/** An older page (newest first, as the log API lists): rows not already known go in front. */
export function prependOlder(buffer: RowBuffer, pageNewestFirst: readonly RequestSummary[]): RowBuffer {
  const known = new Set(buffer.rows.map((r) => r.id));
  const older = pageNewestFirst.filter((r) => !known.has(r.id)).reverse();
  if (older.length === 0) return buffer;
  const room = Math.max(0, buffer.limit - buffer.rows.length);
  const kept = older.slice(Math.max(0, older.length - room));
  return kept.length ? { rows: [...kept, ...buffer.rows], limit: buffer.limit } : buffer;
}

/**
 * The newest page after (re)connecting: merged with the live rows by id, the page's version
 * winning for finished requests (it is what the log holds), sorted by time.
 */
export function mergeNewest(buffer: RowBuffer, pageNewestFirst: readonly RequestSummary[]): RowBuffer {
  const byId = new Map(buffer.rows.map((r) => [r.id, r]));
  for (const row of pageNewestFirst) {
    const live = byId.get(row.id);
    if (!live || !(row.inFlight && !live.inFlight)) byId.set(row.id, row);
  }
  const rows = [...byId.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return { rows: trimmed(rows, buffer.limit), limit: buffer.limit };
}
