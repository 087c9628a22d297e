/**
 * The key admin routes on a real fastify socket, backed by the real Secret Service (unique test
 * service). Every response body and header and every file in the data dir (fastify's trace log
 * is written there) is checked for the key's bytes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, createWriteStream, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import keytar from 'keytar';
import { KeychainVault } from '../../../app/vault/keychain-vault';
import { createKeytarStore, createUnavailableStore, unavailable } from '../../../app/vault/secret-store';
import { fakeKey, realKeychainProblem, removeTestService, uniqueTestService } from '../../unit/vault/helpers/test-keychain';
import { startAdminHost } from './helpers/admin-host';

const service = uniqueTestService();
let problem: string | undefined;
let dataDir: string;

interface Seen {
  status: number;
  body: unknown;
  raw: string;
  headers: string;
}

interface Harness {
  app: FastifyInstance;
  close(): Promise<void>;
  base: string;
  log: WriteStream;
  changed: string[];
  seen: Seen[];
  request(method: string, path: string, body?: string, contentType?: string): Promise<Seen>;
}

async function startServer(vault: KeychainVault, logName: string): Promise<Harness> {
  const log = createWriteStream(join(dataDir, logName));
  const changed: string[] = [];
  const host = await startAdminHost({
    vault,
    keychainBackends: true,
    fastify: { logger: { level: 'trace', stream: log } },
    api: { onKeyChanged: (id) => changed.push(id) },
  });
  const { app, url: address } = host;
  const seen: Seen[] = [];
  return {
    app,
    close: () => host.close(),
    base: address,
    log,
    changed,
    seen,
    async request(method, path, body, contentType = 'application/json') {
      const response = await fetch(`${address}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': contentType },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const raw = await response.text();
      const entry: Seen = {
        status: response.status,
        raw,
        body: raw ? (JSON.parse(raw) as unknown) : undefined,
        headers: JSON.stringify([...response.headers]),
      };
      seen.push(entry);
      return entry;
    },
  };
}

async function stopServer(h: Harness): Promise<void> {
  await h.close();
  await new Promise<void>((done) => h.log.end(done));
}

function assertKeyNowhere(h: Harness, key: string): void {
  for (const s of h.seen) {
    assert.ok(!s.raw.includes(key), `key in a response body: ${s.status}`);
    assert.ok(!s.headers.includes(key), 'key in response headers');
  }
  const files = readdirSync(dataDir);
  assert.ok(files.some((name) => readFileSync(join(dataDir, name)).length > 0), 'the trace log was written');
  for (const name of files) {
    assert.ok(!readFileSync(join(dataDir, name)).includes(key), `key in file ${name}`);
  }
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'patchbay-keyroutes-'));
  problem = await realKeychainProblem(service);
  if (problem) console.log(`# skipping real-keychain tests: ${problem}`);
});
after(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (!problem) await removeTestService(service);
});

test('PUT stores the key in the keychain; GET shows status only; DELETE removes it', async (t) => {
  if (problem) return t.skip(problem);
  const vault = new KeychainVault({ store: createKeytarStore({ service }) });
  const h = await startServer(vault, 'put-get-delete.log');
  try {
    const key = fakeKey('sk-routes');
    const put = await h.request('PUT', '/api/backends/moonshot/key', JSON.stringify({ key }));
    assert.equal(put.status, 200);
    assert.deepEqual(put.body, { backend: 'moonshot', set: true, last4: key.slice(-4), source: 'keychain' });
    assert.equal(await keytar.getPassword(service, 'backend:moonshot'), key);
    assert.equal(await vault.getKey('moonshot', 'keychain'), key, 'the proxy sees the new key');
    assert.deepEqual(h.changed, ['moonshot']);

    const get = await h.request('GET', '/api/backends/moonshot/key');
    assert.equal(get.status, 200);
    assert.deepEqual(get.body, { set: true, last4: key.slice(-4), source: 'keychain' });

    const del = await h.request('DELETE', '/api/backends/moonshot/key');
    assert.equal(del.status, 200);
    assert.deepEqual(del.body, { backend: 'moonshot', set: false });
    assert.equal(await keytar.getPassword(service, 'backend:moonshot'), null);
    assert.equal(await vault.getKey('moonshot', 'keychain'), undefined);
    assert.deepEqual((await h.request('GET', '/api/backends/moonshot/key')).body, { set: false, source: 'keychain' });
    assert.deepEqual(h.changed, ['moonshot', 'moonshot']);

    for (const s of h.seen) assert.match(s.headers, /"cache-control","no-store"/);
    await stopServer(h);
    assertKeyNowhere(h, key);
  } finally {
    await h.close();
  }
});

test('bad keys and bodies get 400/413/415 JSON errors that never echo the key', async (t) => {
  if (problem) return t.skip(problem);
  const vault = new KeychainVault({ store: createKeytarStore({ service }) });
  const h = await startServer(vault, 'bad-input.log');
  try {
    const key = fakeKey('sk-bad');
    const cases: Array<[string | undefined, string, number]> = [
      [JSON.stringify({ key: `${key}\n` }), 'application/json', 400],
      [JSON.stringify({ key: `${key} ${key}` }), 'application/json', 400],
      [JSON.stringify({ key: '' }), 'application/json', 400],
      [JSON.stringify({ key: `${key}${'x'.repeat(4096)}` }), 'application/json', 400],
      [JSON.stringify({ key: `${key}${'x'.repeat(20_000)}` }), 'application/json', 413],
      [JSON.stringify({ token: key }), 'application/json', 400],
      [JSON.stringify({ key: [key] }), 'application/json', 400],
      [`{"key":"${key}"`, 'application/json', 400],
      [key, 'text/plain', 400],
      [`key=${key}`, 'application/x-www-form-urlencoded', 415],
      ['', 'application/json', 400],
    ];
    for (const [body, contentType, status] of cases) {
      const res = await h.request('PUT', '/api/backends/nim/key', body, contentType);
      assert.equal(res.status, status, `${contentType} ${body?.slice(0, 40)}`);
      const error = (res.body as { error?: { code?: unknown; message?: unknown } }).error;
      assert.equal(typeof error?.message, 'string', 'error shape { error: { code, message } }');
      assert.equal(error?.code, { 400: 'invalid_request', 413: 'too_large', 415: 'unsupported_media_type' }[status]);
    }
    assert.equal(await keytar.getPassword(service, 'backend:nim'), null, 'nothing stored');
    assert.deepEqual(h.changed, []);
    await stopServer(h);
    assertKeyNowhere(h, key);
  } finally {
    await h.close();
  }
});

test('unknown backends get 404 on every key route', async (t) => {
  if (problem) return t.skip(problem);
  const vault = new KeychainVault({ store: createKeytarStore({ service }) });
  const h = await startServer(vault, 'unknown.log');
  try {
    const key = fakeKey('sk-unknown');
    for (const [method, body] of [['PUT', JSON.stringify({ key })], ['GET', undefined], ['DELETE', undefined]] as const) {
      const res = await h.request(method, '/api/backends/nope/key', body);
      assert.equal(res.status, 404, method);
      assert.match(String((res.body as { error: { message: string } }).error.message), /no backend has id "nope"/);
    }
    assert.equal(await keytar.getPassword(service, 'backend:nope'), null);
    await stopServer(h);
    assertKeyNowhere(h, key);
  } finally {
    await h.close();
  }
});

test('POST /api/token/rotate returns a new persisted client token (and no upstream key)', async (t) => {
  if (problem) return t.skip(problem);
  const vault = new KeychainVault({ store: createKeytarStore({ service }) });
  const loaded = await vault.tokens.load();
  const h = await startServer(vault, 'rotate.log');
  try {
    const key = fakeKey('sk-rotate');
    await vault.setKey('moonshot', key);
    const res = await h.request('POST', '/api/token/rotate');
    assert.equal(res.status, 200);
    const body = res.body as { clientToken: string; persistent: boolean };
    assert.match(body.clientToken, /^pb-client-[A-Za-z0-9_-]{43}$/);
    assert.notEqual(body.clientToken, loaded.clientToken);
    assert.equal(body.persistent, true);
    assert.equal(vault.tokens.clientToken, body.clientToken);
    assert.equal(await keytar.getPassword(service, 'token:client'), body.clientToken);
    assert.equal(await keytar.getPassword(service, 'token:admin'), loaded.adminToken, 'admin token unchanged');
    await stopServer(h);
    assertKeyNowhere(h, key);
  } finally {
    await h.close();
  }
});

test('with no keychain, key routes answer 503 with the fix and nothing is stored', async () => {
  const vault = new KeychainVault({ store: createUnavailableStore(unavailable('Could not connect: No such file or directory')) });
  await vault.tokens.load();
  const h = await startServer(vault, 'unavailable.log');
  try {
    const key = fakeKey('sk-nokeychain');
    const put = await h.request('PUT', '/api/backends/moonshot/key', JSON.stringify({ key }));
    assert.equal(put.status, 503);
    assert.match((put.body as { error: { message: string } }).error.message, /OS keychain unavailable.*gnome-keyring/s);
    assert.equal((put.body as { error: { code: string } }).error.code, 'unavailable');
    assert.equal((await h.request('GET', '/api/backends/moonshot/key')).status, 503);
    assert.equal((await h.request('DELETE', '/api/backends/moonshot/key')).status, 503);
    assert.deepEqual(h.changed, []);
    const rotate = await h.request('POST', '/api/token/rotate');
    assert.equal(rotate.status, 200);
    assert.equal((rotate.body as { persistent: boolean }).persistent, false);
    await stopServer(h);
    assertKeyNowhere(h, key);
  } finally {
    await h.close();
  }
});
