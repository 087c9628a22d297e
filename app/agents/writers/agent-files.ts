/**
 * Preview, write and restore an agent's config files under a HOME: only Patchbay's keys
 * change, a file that does not parse is refused untouched, each write is atomic and preceded
 * by a timestamped backup beside the file; restore puts the last backup back byte for byte.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Snippet } from '../types';
import { applyConfigEdits, checkConfigParses } from './apply-edits';
import { writeFileAtomic } from '../../config/atomic-write';
import { backUp, latestBackup } from './backups';
import { ConfigParseError } from './config-parse-error';
import { unifiedDiff } from './line-diff';

export interface FilePlan {
  target: string;
  path: string;
  exists: boolean;
  before: string;
  after: string;
  diff: string;
}

export interface WrittenFile {
  target: string;
  path: string;
  changed: boolean;
  /** The backup made before this write (absent for a new or unchanged file). */
  backup?: string;
  sha256: string;
}

export interface RestoredFile {
  target: string;
  path: string;
  restoredFrom: string;
}

/** A file that does not parse: nothing was written (for any of the agent's files). */
export class ConfigRefused extends Error {
  constructor(
    readonly target: string,
    cause: ConfigParseError,
  ) {
    super(`~/${target}: ${cause.message}`);
    this.name = 'ConfigRefused';
  }
}

export class NoBackup extends Error {
  constructor(readonly target: string) {
    super(`~/${target}: no backup made by Patchbay to restore`);
    this.name = 'NoBackup';
  }
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function fileSnippets(snippets: Snippet[]): Array<Snippet & { target: string; edits: NonNullable<Snippet['edits']>; format: NonNullable<Snippet['format']> }> {
  return snippets.filter((s): s is Snippet & { target: string; edits: NonNullable<Snippet['edits']>; format: NonNullable<Snippet['format']> } =>
    Boolean(s.kind === 'file' && s.target && s.edits && s.format),
  );
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** What writing would do to each file; throws ConfigRefused when one does not parse. */
export async function planFiles(snippets: Snippet[], home: string): Promise<FilePlan[]> {
  const plans: FilePlan[] = [];
  for (const snippet of fileSnippets(snippets)) {
    const path = join(home, snippet.target);
    const current = await readIfPresent(path);
    const before = current ?? '';
    let after: string;
    try {
      checkConfigParses(snippet.format, before);
      after = applyConfigEdits(snippet.format, before, snippet.edits);
    } catch (err) {
      if (err instanceof ConfigParseError) throw new ConfigRefused(snippet.target, err);
      throw err;
    }
    plans.push({ target: snippet.target, path, exists: current !== undefined, before, after, diff: unifiedDiff(before, after, snippet.target) });
  }
  return plans;
}

/** Writes every planned file (all parse, or none is written). */
export async function writeFiles(snippets: Snippet[], home: string, now = new Date()): Promise<WrittenFile[]> {
  const plans = await planFiles(snippets, home);
  const written: WrittenFile[] = [];
  for (const plan of plans) {
    if (plan.exists && plan.after === plan.before) {
      written.push({ target: plan.target, path: plan.path, changed: false, sha256: sha256(plan.after) });
      continue;
    }
    let backup: string | undefined;
    let mode = 0o600;
    if (plan.exists) {
      mode = (await stat(plan.path)).mode & 0o777;
      backup = await backUp(plan.path, now);
    } else {
      await mkdir(dirname(plan.path), { recursive: true, mode: 0o700 });
    }
    await writeFileAtomic(plan.path, plan.after, mode);
    written.push({ target: plan.target, path: plan.path, changed: true, ...(backup ? { backup } : {}), sha256: sha256(plan.after) });
  }
  return written;
}

/** The current bytes' hash of each of the agent's files (undefined when absent). */
export async function currentHashes(snippets: Snippet[], home: string): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const snippet of fileSnippets(snippets)) {
    const path = join(home, snippet.target);
    out[snippet.target] = await readFile(path).then(sha256, () => undefined);
  }
  return out;
}

/** Puts each file's last backup back, byte for byte; throws NoBackup (nothing restored) when one has none. */
export async function restoreFiles(snippets: Snippet[], home: string): Promise<RestoredFile[]> {
  const sources: Array<{ target: string; path: string; backup: string }> = [];
  for (const snippet of fileSnippets(snippets)) {
    const path = join(home, snippet.target);
    const backup = await latestBackup(path);
    if (!backup) throw new NoBackup(snippet.target);
    sources.push({ target: snippet.target, path, backup });
  }
  const restored: RestoredFile[] = [];
  for (const { target, path, backup } of sources) {
    const bytes = await readFile(backup);
    const mode = await stat(path).then((s) => s.mode & 0o777, async () => (await stat(backup)).mode & 0o777);
    await writeFileAtomic(path, bytes, mode);
    restored.push({ target, path, restoredFrom: backup });
  }
  return restored;
}
