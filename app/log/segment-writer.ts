/**
 * Appends lines to the current segment, rotating to a new file when the next line would push it
 * past `maxFileBytes`, and deleting the oldest files beyond `maxFiles`. Not safe for concurrent
 * calls: the request log serialises writes through one flush loop, so lines never interleave.
 */
import { mkdir, open, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { listSegments, repairTornTail, segmentPath } from './segment-files';

export interface LineLocation {
  segment: number;
  offset: number;
  /** Bytes, newline excluded. */
  length: number;
}

export interface SegmentWriterOptions {
  maxFileBytes: number;
  maxFiles: number;
}

export class SegmentWriter {
  private handle: FileHandle | undefined;

  private constructor(
    private readonly dir: string,
    private readonly options: SegmentWriterOptions,
    private current: number,
    private size: number,
  ) {}

  /** Open for appending after the newest existing segment (its torn tail, if any, cut off). */
  static async open(dir: string, options: SegmentWriterOptions): Promise<SegmentWriter> {
    // Private: entries may hold (redacted) request bodies.
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const segments = await listSegments(dir);
    const newest = segments[segments.length - 1];
    if (newest === undefined) return new SegmentWriter(dir, options, 1, 0);
    const size = await repairTornTail(dir, newest);
    const writer = new SegmentWriter(dir, options, newest, size);
    await writer.enforceRetention();
    return writer;
  }

  get currentSegment(): number {
    return this.current;
  }

  /** Segments numbered below this have been deleted by retention. */
  get oldestRetained(): number {
    return Math.max(1, this.current - this.options.maxFiles + 1);
  }

  /** Append lines (each without its newline) in order; returns where each one landed. */
  async write(lines: Buffer[]): Promise<LineLocation[]> {
    const locations: LineLocation[] = [];
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for (const line of lines) {
      const bytes = line.length + 1;
      if (this.size + batchBytes > 0 && this.size + batchBytes + bytes > this.options.maxFileBytes) {
        await this.flushBatch(batch, batchBytes);
        batch = [];
        batchBytes = 0;
        await this.rotate();
      }
      locations.push({ segment: this.current, offset: this.size + batchBytes, length: line.length });
      batch.push(line, NEWLINE);
      batchBytes += bytes;
    }
    await this.flushBatch(batch, batchBytes);
    return locations;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async flushBatch(batch: Buffer[], bytes: number): Promise<void> {
    if (bytes === 0) return;
    this.handle ??= await open(segmentPath(this.dir, this.current), 'a', 0o600);
    const data = Buffer.concat(batch, bytes);
    let written = 0;
    while (written < data.length) {
      const r = await this.handle.write(data, written, data.length - written);
      written += r.bytesWritten;
    }
    this.size += bytes;
  }

  private async rotate(): Promise<void> {
    await this.close();
    this.current += 1;
    // A file with this number could exist only if someone else wrote it; start after it.
    this.size = await stat(segmentPath(this.dir, this.current)).then(
      (s) => s.size,
      () => 0,
    );
    await this.enforceRetention();
  }

  private async enforceRetention(): Promise<void> {
    const segments = await listSegments(this.dir);
    const doomed = segments.filter((n) => n <= this.current - this.options.maxFiles);
    for (const n of doomed) await rm(segmentPath(this.dir, n), { force: true });
  }
}

const NEWLINE = Buffer.from('\n');
