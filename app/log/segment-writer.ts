/**
 * Appends lines to the current segment, rotating to a new file when the next line would push it
 * past `maxFileBytes`, and deleting the oldest files beyond `maxFiles`. Not safe for concurrent
 * calls: the request log serialises writes through one flush loop, so lines never interleave.
 *
 * Disk trouble (folder gone or turned into a file, disk full, file replaced) never throws:
 * `write` says how many lines made it and the error. The next write reopens the file (recreating
 * the folder when it is missing) and first cuts off a line left half-written, so a retry never
 * leaves a torn line in the middle of a file. Every `checkEveryMs` a write also
 * checks that the path still names the file it holds open (a deleted folder would otherwise
 * swallow lines into an unlinked file): one stat per batch at most, never one per line.
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
  /** fdatasync after each batch, so a power cut keeps what was written (default false). */
  sync?: boolean;
  /** How often a write checks that the path is still the open file (default 1000 ms). */
  checkEveryMs?: number;
  now?: () => number;
}

export interface WriteResult {
  /** Where each written line landed: the first `locations.length` lines are on disk. */
  locations: LineLocation[];
  /** Set when the rest could not be written (they can be written again later). */
  error?: unknown;
}

interface FileIdentity {
  dev: number;
  ino: number;
}

export class SegmentWriter {
  private handle: FileHandle | undefined;
  /** The file the handle is open on (the path is checked against it). */
  private identity: FileIdentity | undefined;
  private checkedAt = 0;
  /** The folder was listed and the newest segment's torn tail cut (done again after a failure at open). */
  private ready = false;
  private current = 1;
  private size = 0;
  private readonly now: () => number;

  private constructor(
    private readonly dir: string,
    private readonly options: SegmentWriterOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Open for appending after the newest existing segment (its torn tail, if any, cut off). A
   * folder that cannot be used yet is not an error here: `openError` says why and the first
   * write tries again.
   */
  static async open(dir: string, options: SegmentWriterOptions): Promise<SegmentWriter> {
    const writer = new SegmentWriter(dir, options);
    try {
      await writer.prepare();
    } catch (error) {
      writer.openError = error;
    }
    return writer;
  }

  /** Why the folder could not be prepared at open (undefined when it could). */
  openError: unknown;

  get currentSegment(): number {
    return this.current;
  }

  /** Segments numbered below this have been deleted by retention. */
  get oldestRetained(): number {
    return Math.max(1, this.current - this.options.maxFiles + 1);
  }

  /** Append lines (each without its newline) in order; says where each written one landed. */
  async write(lines: Buffer[]): Promise<WriteResult> {
    const locations: LineLocation[] = [];
    try {
      if (!this.ready) await this.prepare();
      await this.ensureOpen();
      let chunk: Buffer[] = [];
      let chunkLocations: LineLocation[] = [];
      let chunkBytes = 0;
      for (const line of lines) {
        const bytes = line.length + 1;
        if (this.size + chunkBytes > 0 && this.size + chunkBytes + bytes > this.options.maxFileBytes) {
          await this.append(chunk, chunkBytes);
          locations.push(...chunkLocations);
          chunk = [];
          chunkLocations = [];
          chunkBytes = 0;
          await this.rotate();
        }
        chunkLocations.push({ segment: this.current, offset: this.size + chunkBytes, length: line.length });
        chunk.push(line, NEWLINE);
        chunkBytes += bytes;
      }
      await this.append(chunk, chunkBytes);
      locations.push(...chunkLocations);
      return { locations };
    } catch (error) {
      await this.drop();
      return { locations, error };
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async prepare(): Promise<void> {
    // Private: entries may hold (redacted) request bodies.
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const segments = await listSegments(this.dir);
    const newest = segments[segments.length - 1];
    if (newest !== undefined) {
      this.current = newest;
      await this.enforceRetention();
    }
    this.ready = true;
  }

  /** Open the current segment when nothing is open, or when its path no longer names the open file. */
  private async ensureOpen(): Promise<void> {
    if (this.handle && this.now() - this.checkedAt < (this.options.checkEveryMs ?? 1000)) return;
    if (this.handle) {
      this.checkedAt = this.now();
      const still = await stat(segmentPath(this.dir, this.current)).then(
        (s) => this.identity !== undefined && s.ino === this.identity.ino && s.dev === this.identity.dev,
        () => false,
      );
      if (still) return;
      await this.close();
    }
    await mkdir(this.dir, { recursive: true, mode: 0o700 }); // the folder may have been deleted
    // A line left half-written (by a write that failed, ours or not): cut it so the file stays whole lines.
    await repairTornTail(this.dir, this.current).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    const handle = await open(segmentPath(this.dir, this.current), 'a', 0o600);
    try {
      const s = await handle.stat();
      this.size = s.size;
      this.identity = { dev: s.dev, ino: s.ino };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    this.handle = handle;
    this.checkedAt = this.now();
  }

  private async append(chunk: Buffer[], bytes: number): Promise<void> {
    if (bytes === 0) return;
    const handle = this.handle!;
    const data = Buffer.concat(chunk, bytes);
    let written = 0;
    while (written < data.length) {
      const r = await handle.write(data, written, data.length - written);
      written += r.bytesWritten;
    }
    if (this.options.sync) await handle.datasync();
    this.size += bytes;
  }

  private async rotate(): Promise<void> {
    await this.close();
    this.current += 1;
    this.identity = undefined;
    await this.ensureOpen();
    // Retention is housekeeping: a failure here is tried again at the next rotation.
    await this.enforceRetention().catch(() => undefined);
  }

  /** After a failure: let go of the file; the next write reopens it (and cuts a half-written line). */
  private async drop(): Promise<void> {
    await this.close().catch(() => undefined);
  }

  private async enforceRetention(): Promise<void> {
    const segments = await listSegments(this.dir);
    const doomed = segments.filter((n) => n <= this.current - this.options.maxFiles);
    for (const n of doomed) await rm(segmentPath(this.dir, n), { force: true });
  }
}

const NEWLINE = Buffer.from('\n');
