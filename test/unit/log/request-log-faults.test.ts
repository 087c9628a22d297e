// The request log when the disk fails under it, with real kernel errors (tests run as root, so
// chmod proves nothing): the active file replaced by a symlink to /dev/full (ENOSPC), the log
// folder replaced by a regular file (ENOTDIR). Appends never throw, the health says failing,
// nothing queued is lost, and writing resumes by itself once the disk is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestEntry } from '../../../app/log/request-entry';
import { RequestLog, type RequestLogOptions } from '../../../app/log/request-log';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-faults-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function entry(id: string): RequestEntry {
  return {
    id,
    time: new Date().toISOString(),
    agent: 'claude-code',
    inboundFormat: 'anthropic',
    status: 200,
    latencyMs: 1,
    tokens: { input: 1, output: 2, cached: 0 },
    streamed: false,
    retries: 0,
    queueWaitMs: 0,
    bytesIn: 10,
    bytesOut: 20,
  };
}

async function idsOnDisk(dir: string): Promise<string[]> {
  const ids: string[] = [];
  const names = (await readdir(join(dir, 'logs'))).filter((n) => n.endsWith('.ndjson')).sort();
  for (const name of names) {
    for (const line of (await readFile(join(dir, 'logs', name), 'utf8')).split('\n')) {
      if (line) ids.push((JSON.parse(line) as { id: string }).id); // every line whole JSON
    }
  }
  return ids;
}

const NO_DEV_FULL = existsSync('/dev/full') ? false : 'no /dev/full on this system (ENOSPC needs it)';

async function openWithClock(dir: string, options: Partial<RequestLogOptions> = {}) {
  let clock = Date.now();
  const errors: string[] = [];
  const changes: Array<string | null> = [];
  const log = await RequestLog.open({ dataDir: dir, now: () => clock, onError: (e) => errors.push(String(e)), retryDelayMs: 60_000, ...options });
  log.onHealthChange(() => changes.push(log.getHealth().failing?.message ?? null));
  return { log, errors, changes, advance: (ms: number) => (clock += ms) };
}

test('disk full (the active file turned into /dev/full): appends return, health says failing, and the queued lines are written once the file is back', { skip: NO_DEV_FULL }, async () => {
  await withDir(async (dir) => {
    const { log, errors, changes, advance } = await openWithClock(dir);
    log.append(entry('before'));
    await log.flush();
    assert.deepEqual(await idsOnDisk(dir), ['before']);

    const file = join(dir, 'logs', 'requests-1.ndjson');
    await rename(file, `${file}.saved`);
    await symlink('/dev/full', file);
    advance(2000); // past the writer's check that the path is still its file
    assert.doesNotThrow(() => log.append(entry('while-full')));
    const started = log.startEntry({ id: 'in-flight', inboundFormat: 'openai', path: '/v1/chat/completions' });
    started.update({ backend: 'nim', modelUsed: 'kimi-k2.6' });
    await log.flush();
    const health = log.getHealth();
    assert.ok(health.failing, 'failing');
    assert.match(health.failing.message, /ENOSPC|no space/i);
    assert.ok(!Number.isNaN(Date.parse(health.failing.since)));
    assert.equal(health.writeErrors, 1);
    assert.deepEqual(changes, [health.failing.message], 'observers told once');
    assert.equal(errors.length, 1);
    assert.equal((await log.get('while-full'))?.id, 'while-full', 'readable from memory meanwhile');

    // Still full: another attempt fails, the first failure time is kept.
    await log.flush();
    assert.equal(log.getHealth().writeErrors, 2);
    assert.equal(log.getHealth().failing?.since, health.failing.since);

    // The disk comes back.
    await rm(file);
    await rename(`${file}.saved`, file);
    await log.flush();
    assert.equal(log.getHealth().failing, null);
    assert.deepEqual(changes, [health.failing.message, null]);
    assert.deepEqual(await idsOnDisk(dir), ['before', 'while-full', 'in-flight'], 'nothing queued was lost: the entry and the start of the request in flight');
    started.finish({ status: 200 });
    await log.flush();
    assert.deepEqual(await idsOnDisk(dir), ['before', 'while-full', 'in-flight', 'in-flight'], 'then its end');
    assert.equal(log.getHealth().dropped, 0);
    await log.close();
  });
});

test('the log folder replaced by a file (ENOTDIR): failing, then the folder is made again and writing resumes by itself', async () => {
  await withDir(async (dir) => {
    const { log, advance } = await openWithClock(dir, { retryDelayMs: 20 });
    log.append(entry('first'));
    await log.flush();
    await rm(join(dir, 'logs'), { recursive: true });
    await writeFile(join(dir, 'logs'), 'in the way');
    advance(2000);
    log.append(entry('second'));
    await log.flush();
    assert.match(log.getHealth().failing?.message ?? '', /ENOTDIR|not a directory|EEXIST/i);

    await rm(join(dir, 'logs'));
    // No flush and no new request: the retry timer writes the queued line and clears the failure.
    const deadline = Date.now() + 5000;
    while (log.getHealth().failing !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(log.getHealth().failing, null, 'recovered by itself');
    assert.deepEqual(await idsOnDisk(dir), ['second']);
    log.append(entry('third'));
    await log.flush();
    assert.deepEqual(await idsOnDisk(dir), ['second', 'third']);
    await log.close();
  });
});

test('a log folder that cannot be used at start-up does not stop Patchbay: it opens failing and recovers', async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, 'logs'), 'in the way');
    const { log } = await openWithClock(dir);
    assert.match(log.getHealth().failing?.message ?? '', /ENOTDIR|EEXIST|not a directory|file already exists/i);
    log.append(entry('queued'));
    await rm(join(dir, 'logs'));
    await log.flush();
    assert.equal(log.getHealth().failing, null);
    assert.deepEqual(await idsOnDisk(dir), ['queued']);
    await log.close();
  });
});

test('a failure at rotation keeps the lines queued and writes them into the next file when it can', { skip: NO_DEV_FULL }, async () => {
  await withDir(async (dir) => {
    const { log } = await openWithClock(dir, { maxFileBytes: 500 });
    log.append(entry('a'));
    log.append(entry('b'));
    await log.flush();
    assert.deepEqual(await idsOnDisk(dir), ['a', 'b']);
    // The next file is a full disk: the rotation opens it and the write fails there.
    await symlink('/dev/full', join(dir, 'logs', 'requests-2.ndjson'));
    log.append(entry('c'));
    log.append(entry('d'));
    await log.flush();
    assert.ok(log.getHealth().failing, 'failing at rotation');
    await rm(join(dir, 'logs', 'requests-2.ndjson'));
    await log.flush();
    assert.equal(log.getHealth().failing, null);
    assert.deepEqual(await idsOnDisk(dir), ['a', 'b', 'c', 'd']);
    const reopened = await RequestLog.open({ dataDir: dir });
    assert.deepEqual(
      reopened.list().items.map((e) => e.id),
      ['d', 'c', 'b', 'a'],
    );
    await reopened.close();
    await log.close();
  });
});

test('a write cut short leaves no torn line behind: the retry starts where the last whole line ended', async () => {
  await withDir(async (dir) => {
    const { log, advance } = await openWithClock(dir);
    log.append(entry('whole'));
    await log.flush();
    // What a write that ran out of space half-way leaves: part of a line, no newline.
    const file = join(dir, 'logs', 'requests-1.ndjson');
    const { appendFile } = await import('node:fs/promises');
    // Make the next write fail (folder turned into a file), then put back the file with a torn tail.
    const saved = await readFile(file);
    await rm(join(dir, 'logs'), { recursive: true });
    await writeFile(join(dir, 'logs'), 'x');
    advance(2000);
    log.append(entry('retried'));
    await log.flush();
    assert.ok(log.getHealth().failing);
    await rm(join(dir, 'logs'));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'logs'));
    await writeFile(file, saved);
    await appendFile(file, '{"id":"half-writ');
    await log.flush();
    assert.equal(log.getHealth().failing, null);
    const text = await readFile(file, 'utf8');
    assert.ok(!text.includes('half-writ'), text);
    assert.deepEqual(await idsOnDisk(dir), ['whole', 'retried']);
    await log.close();
  });
});

test('with no traffic at all, a failing log notices by itself that the disk works again', async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, 'logs'), 'in the way');
    const { log, changes } = await openWithClock(dir, { retryDelayMs: 20 });
    assert.ok(log.getHealth().failing);
    await rm(join(dir, 'logs'));
    const deadline = Date.now() + 5000;
    while (log.getHealth().failing !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(log.getHealth().failing, null, 'recovered without a request or a flush');
    assert.deepEqual(changes, [null], 'observers told it recovered');
    assert.ok(existsSync(join(dir, 'logs', 'requests-1.ndjson')), 'the folder and file are there again');
    await log.close();
  });
});

test('a disk that stays full does not fill memory: the queue keeps the newest lines within its byte bound, the rest counted as dropped', async () => {
  await withDir(async (dir) => {
    const { log, advance } = await openWithClock(dir, { maxQueuedBytes: 2000 });
    log.append(entry('before'));
    await log.flush();
    await rm(join(dir, 'logs'), { recursive: true });
    await writeFile(join(dir, 'logs'), 'in the way');
    advance(2000);
    const lineBytes = Buffer.byteLength(JSON.stringify(entry('e00')));
    for (let i = 0; i < 20; i++) log.append(entry(`e${String(i).padStart(2, '0')}`));
    await log.flush();
    assert.ok(log.getHealth().failing);
    const kept = Math.floor(2000 / lineBytes);
    assert.equal(log.getHealth().dropped, 20 - kept, `lines of ${lineBytes} bytes, ${kept} fit in 2000`);
    await rm(join(dir, 'logs'));
    await log.flush();
    assert.equal(log.getHealth().failing, null);
    const expected = Array.from({ length: kept }, (_, i) => `e${String(20 - kept + i).padStart(2, '0')}`);
    assert.deepEqual(await idsOnDisk(dir), expected, 'the newest ones, in order');
    await log.close();
  });
});
