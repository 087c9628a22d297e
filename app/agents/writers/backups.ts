/**
 * Timestamped backups beside a config file (`<name>.patchbay-backup-<UTC stamp>`), the last
 * KEEP_BACKUPS kept. The stamp sorts as text, so the newest is the last name.
 */
import { copyFile, readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const KEEP_BACKUPS = 5;
const MARK = '.patchbay-backup-';

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('.', '');
}

export async function listBackups(file: string): Promise<string[]> {
  const prefix = basename(file) + MARK;
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  return names
    .filter((n) => n.startsWith(prefix) && /^\d{8}T\d{9}Z(-\d+)?$/.test(n.slice(prefix.length)))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((n) => join(dirname(file), n));
}

/** Copies `file` to a new backup and prunes the oldest beyond KEEP_BACKUPS; returns the backup's path. */
export async function backUp(file: string, now = new Date()): Promise<string> {
  const existing = new Set(await listBackups(file));
  let path = `${file}${MARK}${stamp(now)}`;
  for (let n = 1; existing.has(path); n++) path = `${file}${MARK}${stamp(now)}-${n}`;
  await copyFile(file, path);
  const all = await listBackups(file);
  for (const old of all.slice(0, Math.max(0, all.length - KEEP_BACKUPS))) await unlink(old).catch(() => undefined);
  return path;
}

export async function latestBackup(file: string): Promise<string | undefined> {
  return (await listBackups(file)).at(-1);
}
