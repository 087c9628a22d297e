/**
 * The request log's files on disk: `<dir>/requests-<n>.ndjson`, n counting up from 1.
 * Listing, reading back (skipping torn or corrupt lines) and repairing a torn tail.
 */
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const SEGMENT_NAME = /^requests-(\d+)\.ndjson$/;

export function segmentPath(dir: string, n: number): string {
  return join(dir, `requests-${n}.ndjson`);
}

/** Segment numbers present in `dir`, oldest first. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const numbers: number[] = [];
  for (const name of names) {
    const m = SEGMENT_NAME.exec(name);
    if (m?.[1]) numbers.push(Number(m[1]));
  }
  return numbers.sort((a, b) => a - b);
}

export interface SegmentLine {
  /** Byte offset of the line in its file. */
  offset: number;
  /** Length in bytes, newline excluded. */
  length: number;
  value: unknown;
}

/**
 * Every complete, parseable line of a segment. A last line without its newline (torn by a
 * crash) and lines that are not JSON are skipped and counted, never fatal.
 */
export async function readSegment(dir: string, n: number): Promise<{ lines: SegmentLine[]; skipped: number }> {
  const data = await readFile(segmentPath(dir, n)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  });
  const lines: SegmentLine[] = [];
  let skipped = 0;
  let start = 0;
  while (start < data.length) {
    const nl = data.indexOf(0x0a, start);
    if (nl === -1) {
      skipped++; // torn tail
      break;
    }
    if (nl > start) {
      try {
        lines.push({ offset: start, length: nl - start, value: JSON.parse(data.toString('utf8', start, nl)) });
      } catch {
        skipped++;
      }
    }
    start = nl + 1;
  }
  return { lines, skipped };
}

/** Cut a torn last line (no trailing newline) off a segment so appends start on a fresh line. Returns the new size. */
export async function repairTornTail(dir: string, n: number): Promise<number> {
  const fh = await open(segmentPath(dir, n), 'r+');
  try {
    const { size } = await fh.stat();
    if (size === 0) return 0;
    // Scan backwards in blocks for the last newline.
    const block = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - block.length);
      const { bytesRead } = await fh.read(block, 0, end - start, start);
      const idx = block.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (idx !== -1) {
        const keep = start + idx + 1;
        if (keep !== size) await fh.truncate(keep);
        return keep;
      }
      end = start;
    }
    await fh.truncate(0);
    return 0;
  } finally {
    await fh.close();
  }
}

/** Read one line back by its location. */
export async function readLineAt(dir: string, n: number, offset: number, length: number): Promise<unknown> {
  const fh = await open(segmentPath(dir, n), 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return JSON.parse(buf.toString('utf8', 0, bytesRead));
  } finally {
    await fh.close();
  }
}
