// Fault: the keychain daemon goes away mid-run. On a D-Bus session and gnome-keyring of the
// test's own (never the shared one), the engine runs in a child process; the test kills the
// daemon by its pid: requests keep being served with the key read before (also once the cache
// has expired), key operations through the admin API get the one error shape saying the daemon
// is not running, and when a daemon is started again on the same bus with the same keyring the
// engine uses it again by itself, without a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startFakeNim } from '../../fakes/fake-nim';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';
import { privateKeyringProblem, startKeyringDaemon, startPrivateBus, type KeyringDaemon, type PrivateBus } from './helpers/private-keyring';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const problem = privateKeyringProblem();
if (problem) console.log(`# keychain fault test skipped: ${problem}`);

/** What the admin calls here answer: an error in the one shape, a key status or the state. */
interface AdminAnswer {
  error: { code: string; message: string };
  backends: Array<{ key: { set: boolean } }>;
}

interface EngineChild {
  url: string;
  output(): string;
  /** Forget the cached keychain reads (the cache TTL running out). */
  expireKeyCache(): Promise<void>;
  stop(): Promise<void>;
}

async function startEngineChild(bus: string, configPath: string, dataDir: string, service: string): Promise<EngineChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/faults/fixtures/keychain-engine.ts', configPath, dataDir, service], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dataDir, DBUS_SESSION_BUS_ADDRESS: bus },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    output += line + '\n';
    try {
      messages.push(JSON.parse(line) as Record<string, unknown>);
      waiters.splice(0).forEach((w) => w());
    } catch {
      // not one of the fixture's lines
    }
  });
  const next = (key: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`engine child said no "${key}" in time:\n${output}`)), 30_000);
      const look = () => {
        const i = messages.findIndex((m) => key in m);
        if (i < 0) return void waiters.push(look);
        clearTimeout(timer);
        resolve(messages.splice(i, 1)[0]!);
      };
      look();
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await next('url');
  assert.deepEqual(ready.warnings, [], `the keychain worked at start:\n${output}`);
  return {
    url: ready.url as string,
    output: () => output,
    async expireKeyCache() {
      child.stdin!.write('expire-key-cache\n');
      await next('expired');
    },
    async stop() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

test('the keychain daemon dies and comes back: cached keys serve, key operations say so, recovery without restart', { skip: problem ?? false, timeout: 120_000 }, async (t) => {
  const dir = makeTempDir('keychain-gone');
  const keyringHome = join(dir, 'keyring-data');
  const runtimeDir = join(dir, 'run');
  mkdirSync(keyringHome, { mode: 0o700 });
  mkdirSync(runtimeDir, { mode: 0o700 });
  const key = `nvapi-${randomBytes(24).toString('base64url')}`;
  const nim = await startFakeNim({ key });
  const clientToken = `pb-client-${randomBytes(16).toString('hex')}`;
  const adminToken = `pb-admin-${randomBytes(16).toString('hex')}`;
  const configPath = join(dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      clientToken,
      adminToken,
      active: 'nim',
      backends: [{ id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'keychain', model: 'moonshotai/kimi-k2.6', kimi: true }],
    }),
  );
  const held: { bus?: PrivateBus; daemon?: KeyringDaemon; engine?: EngineChild } = {};
  t.after(async () => {
    await held.engine?.stop();
    await held.daemon?.kill('SIGTERM');
    held.bus?.stop();
    await nim.close();
    removeTempDirs(dir);
  });

  const bus = (held.bus = await startPrivateBus(dir));
  held.daemon = await startKeyringDaemon(bus.address, keyringHome, runtimeDir);
  const engine = (held.engine = await startEngineChild(bus.address, configPath, join(dir, 'data'), `patchbay-test-${randomBytes(4).toString('hex')}`));
  const url = engine.url;

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    assert.ok(!text.includes(key), 'the key never comes back');
    return { status: res.status, body: JSON.parse(text) as AdminAnswer };
  };
  const chat = async () => {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${clientToken}` },
      body: JSON.stringify({ model: 'moonshotai/kimi-k2.6', messages: [{ role: 'user', content: 'hi' }] }),
    });
    return { status: res.status, text: await res.text() };
  };
  const served = () => nim.requests.filter((r) => r.rejected === undefined).length;

  // Running normally: the key goes into the keychain and serves.
  assert.equal((await admin('PUT', '/api/backends/nim/key', { key })).status, 200);
  assert.equal((await chat()).status, 200);

  // The daemon dies.
  await held.daemon.kill('SIGKILL');
  delete held.daemon;

  // Model calls keep working with the key read before: from the cache, and after it expired.
  const fresh = await chat();
  assert.equal(fresh.status, 200, fresh.text);
  await engine.expireKeyCache();
  const stale = await chat();
  assert.equal(stale.status, 200, `served with the last-known key after the cache expired: ${stale.text}`);
  assert.equal(served(), 3, 'each call reached the upstream with the right key');

  // Key operations: the one error shape, saying what to do.
  for (const [method, body] of [
    ['PUT', { key: `nvapi-${randomBytes(24).toString('base64url')}` }],
    ['GET', undefined],
    ['DELETE', undefined],
  ] as const) {
    const refused = await admin(method, '/api/backends/nim/key', body);
    assert.equal(refused.status, 503, `${method} key: ${JSON.stringify(refused.body)}`);
    assert.equal(refused.body.error.code, 'unavailable');
    assert.match(refused.body.error.message, /keychain daemon .* is not running/, method);
    assert.match(refused.body.error.message, /start it again .*no restart needed/, method);
  }
  const state = await admin('GET', '/api/state');
  assert.equal(state.status, 200, 'the state still renders');
  assert.equal(state.body.backends[0]?.key.set, true, 'with the last-known key status');
  assert.equal((await chat()).status, 200, 'still serving after the refused operations');

  // The daemon comes back on the same bus with the same keyring: no restart of the engine.
  held.daemon = await startKeyringDaemon(bus.address, keyringHome, runtimeDir);
  let status: Awaited<ReturnType<typeof admin>> | undefined;
  for (let i = 0; i < 50; i++) {
    status = await admin('GET', '/api/backends/nim/key');
    if (status.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(status?.status, 200, `key status answered again: ${JSON.stringify(status?.body)}`);
  assert.deepEqual(status?.body, { set: true, last4: key.slice(-4), source: 'keychain' }, 'read from the keyring the daemon reopened');

  // Key operations really reach the keychain again: a delete is seen by a fresh read, a set serves.
  assert.equal((await admin('DELETE', '/api/backends/nim/key')).status, 200);
  await engine.expireKeyCache();
  const noKey = await chat();
  assert.equal(noKey.status, 400, `a fresh keychain read finds no key: ${noKey.text}`);
  assert.match(noKey.text, /nothing is stored in the OS keychain/);
  assert.equal((await admin('PUT', '/api/backends/nim/key', { key })).status, 200);
  await engine.expireKeyCache();
  assert.equal((await chat()).status, 200);
  assert.equal(served(), 5);
  assert.ok(!engine.output().includes(key), 'the key never printed');
});
