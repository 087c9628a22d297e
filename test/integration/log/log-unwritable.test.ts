// Issue 11 fault: the request log's disk fails under a running `patchbay serve` (real kernel
// errors; tests run as root, so chmod would prove nothing): the active file becomes a symlink to
// /dev/full (ENOSPC), then the logs folder becomes a regular file (ENOTDIR). Model calls keep
// answering 200, the process stays up, GET /api/state says the log is failing, and once the
// disk is back it recovers and the calls made meanwhile reach the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeNim } from '../../fakes/fake-nim';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';
import { startServe } from './serve-process';

const CLIENT = 'logfault-test-client-token-0123456789';
const ADMIN = 'logfault-test-admin-token-0123456789';
/** The log writer checks that its file is still at its path at most once a second. */
const PAST_PATH_CHECK_MS = 1200;

interface LogHealth {
  failing: { since: string; message: string } | null;
  writeErrors: number;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(v)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the log folder unwritable or the disk full: calls still answer, state says failing, then it recovers', { timeout: 120_000, skip: existsSync('/dev/full') ? false : 'no /dev/full on this system (the ENOSPC case needs it)' }, async (t) => {
  const nim = await startFakeNim({ key: 'nvapi-logfault-test-key-000111' });
  const dir = makeTempDir('logfault');
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      clientToken: CLIENT,
      adminToken: ADMIN,
      active: 'nim',
      backends: [{ id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:NIM_KEY', model: 'moonshotai/kimi-k2.6' }],
    }),
  );
  const env: Record<string, string> = { HOME: dir, NIM_KEY: nim.key, PATCHBAY_KEYCHAIN_SERVICE: 'patchbay-test-logfault' };
  if (process.env.DBUS_SESSION_BUS_ADDRESS) env.DBUS_SESSION_BUS_ADDRESS = process.env.DBUS_SESSION_BUS_ADDRESS;
  const logs = join(dir, 'data', 'logs');
  const proxy = await startServe({ configFile, dataDir: join(dir, 'data'), env });
  t.after(async () => {
    await proxy.stop();
    await nim.close();
    removeTempDirs(dir);
  });

  const call = async (stream: boolean) => {
    const res = await fetch(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'moonshotai/kimi-k2.6', stream, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    return res.headers.get('x-patchbay-request-id')!;
  };
  const health = async () => {
    const res = await fetch(`${proxy.url}/api/state`, { headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(res.status, 200);
    return ((await res.json()) as { requestLog: LogHealth }).requestLog;
  };
  const listed = async () => {
    const res = await fetch(`${proxy.url}/api/requests?limit=100`, { headers: { authorization: `Bearer ${ADMIN}` } });
    return ((await res.json()) as { items: Array<{ id: string }> }).items.map((e) => e.id);
  };
  /** Ids of the entry lines on disk (start lines left out). */
  const idsOnDisk = (): string[] =>
    readdirSync(logs)
      .filter((n) => /^requests-\d+\.ndjson$/.test(n))
      .flatMap((n) => readFileSync(join(logs, n), 'utf8').split('\n').filter(Boolean))
      .map((l) => JSON.parse(l) as { id: string; kind?: string })
      .filter((l) => l.kind !== 'start')
      .map((l) => l.id);

  // The dashboard's live feed: the log starting and stopping failing comes as stateChanged.
  const events = new AbortController();
  const feed = await fetch(`${proxy.url}/api/events`, { headers: { authorization: `Bearer ${ADMIN}` }, signal: events.signal });
  assert.equal(feed.status, 200);
  let feedText = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of feed.body!) feedText += decoder.decode(chunk as Uint8Array, { stream: true });
  })().catch(() => undefined);
  t.after(async () => {
    events.abort();
    await reading;
  });
  const stateEvents = () =>
    feedText
      .split('\n\n')
      .filter((f) => f.startsWith('event: stateChanged\n'))
      .map((f) => (JSON.parse(f.slice(f.indexOf('data: ') + 6)) as { requestLog: LogHealth }).requestLog.failing);

  const early = await call(false);
  await until('first entry on disk', async () => idsOnDisk(), (ids) => ids.includes(early));
  const faults: string[] = [];

  // Fault 1: disk full. The active file becomes /dev/full (the original kept aside).
  const active = join(logs, readdirSync(logs).filter((n) => n.endsWith('.ndjson')).sort().pop()!);
  renameSync(active, `${active}.saved`);
  symlinkSync('/dev/full', active);
  await new Promise((r) => setTimeout(r, PAST_PATH_CHECK_MS));
  const duringFull = [await call(false), await call(true)];
  const full = await until('failing (disk full)', health, (h) => h.failing !== null);
  await until('stateChanged says failing', async () => stateEvents(), (f) => f.some((x) => x !== null && /ENOSPC|no space/i.test(x.message)));
  assert.match(full.failing!.message, /ENOSPC|no space/i);
  assert.ok(full.writeErrors >= 1);
  for (const id of duringFull) assert.ok((await listed()).includes(id), 'listed from memory while failing');
  rmSync(active);
  renameSync(`${active}.saved`, active);
  await until('recovered (disk full)', health, (h) => h.failing === null);
  await until('stateChanged says writing again', async () => stateEvents(), (f) => f.length >= 2 && f.at(-1) === null);
  await until('calls made while full reach the file', async () => idsOnDisk(), (ids) => duringFull.every((id) => ids.includes(id)));
  faults.push('disk full');

  // Fault 2: the logs folder replaced by a regular file.
  renameSync(logs, `${logs}.saved`);
  writeFileSync(logs, 'not a folder');
  await new Promise((r) => setTimeout(r, PAST_PATH_CHECK_MS));
  const duringNotDir = await call(true);
  const notDir = await until('failing (folder is a file)', health, (h) => h.failing !== null);
  assert.match(notDir.failing!.message, /ENOTDIR|EEXIST|not a directory|already exists/i);
  rmSync(logs);
  renameSync(`${logs}.saved`, logs);
  await until('recovered (folder back)', health, (h) => h.failing === null);
  const later = await call(false);
  await until('later entries written', async () => idsOnDisk(), (ids) => ids.includes(duringNotDir) && ids.includes(later));
  faults.push('log folder unwritable');

  assert.equal(proxy.child.exitCode, null, 'still running');
  const written = idsOnDisk();
  assert.equal(new Set(written).size, written.length, 'each entry written once');
  console.log(`# request log faults tried: ${faults.length} (${faults.join(', ')}), survived: ${faults.length}; model calls during the faults: 3, all 200`);
});
