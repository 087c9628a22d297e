/**
 * Loading the request log's index from its files at start-up. Lines are read newest first (newest
 * file first, each file from its end), so a request's end line is always met before its start
 * line, in the same file or a newer one after a rotation: a start whose id was already met is
 * dropped (the entry says it all), a start met first is a request that never ended and becomes an
 * `interrupted` entry (indexed where its start line is), and an end whose start was rotated away
 * is simply an entry. Torn or
 * corrupt lines are skipped and counted, never fatal; a folder that cannot be read loads nothing.
 */
import { parseStoredEntry } from './entry-schema';
import type { LogIndex } from './log-index';
import type { RequestEntry } from './request-entry';
import { listSegments, readSegment } from './segment-files';
import type { LineLocation } from './segment-writer';
import { interruptedEntry, isStartLine, parseStartLine } from './start-line';

export interface LoadResult {
  /** Lines skipped (torn, not JSON, not a valid entry or start). */
  skippedLines: number;
  /** Requests that started and never ended (listed as interrupted). */
  interrupted: number;
  /** Why the folder or a file could not be read (the rest still loads). */
  error?: unknown;
}

interface LoadedLine {
  entry: RequestEntry;
  location: LineLocation;
}

/** Fill the index with the newest entries (up to `limit`), oldest first. */
export async function loadIndex(dir: string, index: LogIndex, limit: number): Promise<LoadResult> {
  const result: LoadResult = { skippedLines: 0, interrupted: 0 };
  let segments: number[];
  try {
    segments = await listSegments(dir);
  } catch (error) {
    return { ...result, error };
  }
  const seen = new Set<string>();
  const newestFirst: LoadedLine[] = [];
  for (let s = segments.length - 1; s >= 0 && newestFirst.length < limit; s--) {
    const segment = segments[s]!;
    let read;
    try {
      read = await readSegment(dir, segment);
    } catch (error) {
      result.error ??= error;
      continue;
    }
    result.skippedLines += read.skipped;
    for (let i = read.lines.length - 1; i >= 0 && newestFirst.length < limit; i--) {
      const line = read.lines[i]!;
      const entry = entryOf(line.value);
      if (!entry) {
        result.skippedLines += 1;
        continue;
      }
      if (seen.has(entry.id)) continue; // a start whose end (or a newer start) was already met
      seen.add(entry.id);
      if (entry.interrupted) result.interrupted += 1;
      newestFirst.push({ entry, location: { segment, offset: line.offset, length: line.length } });
    }
  }
  for (let i = newestFirst.length - 1; i >= 0; i--) {
    const { entry, location } = newestFirst[i]!;
    index.add(entry, { location });
  }
  return result;
}

function entryOf(value: unknown): RequestEntry | undefined {
  if (isStartLine(value)) {
    const start = parseStartLine(value);
    return start ? interruptedEntry(start) : undefined;
  }
  return parseStoredEntry(value);
}
