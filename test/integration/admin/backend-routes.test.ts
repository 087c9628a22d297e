import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAdminHost } from './helpers/admin-host';

const forgotten: string[] = [];
const host = await startAdminHost({
  env: { NVIDIA_API_KEY: 'nvapi-test-key-0000WXYZ' },
  api: { diagnose: async (id) => ({ backend: id, ok: true, verdict: 'ok', message: 'fine', latencyMs: 1 }) },
});
const { store, dir } = host;
const deleteKey = host.vault.deleteKey.bind(host.vault);
host.vault.deleteKey = async (id) => {
  forgotten.push(id);
  return deleteKey(id);
};
const base = host.url;
after(() => host.close());

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON answers
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

test('lists backends with key status only', async () => {
  const { status, body } = await call('GET', '/api/backends');
  assert.equal(status, 200);
  assert.equal(body.active, 'moonshot');
  const nim = body.backends.find((b: { id: string }) => b.id === 'nim');
  assert.deepEqual(nim.key, { set: true, last4: 'WXYZ', source: 'env:NVIDIA_API_KEY' });
  assert.equal(nim.quirksInForce, 'kimi');
  assert.deepEqual(body.failover, []);
  assert.equal(nim.apiKey, 'env:NVIDIA_API_KEY');
});

test('adds a custom backend (keychain by default), persisted atomically', async () => {
  const { status, body } = await call('POST', '/api/backends', {
    id: 'ollama',
    format: 'openai',
    baseUrl: 'http://127.0.0.1:11434/v1',
    model: 'qwen3-coder',
    contextWindow: 32768,
    rpm: 600,
  });
  assert.equal(status, 201, JSON.stringify(body));
  assert.equal(body.apiKey, 'keychain');
  const onDisk = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  assert.ok(onDisk.backends.some((b: { id: string }) => b.id === 'ollama'));
});

test('adds from a preset', async () => {
  const { status, body } = await call('POST', '/api/backends', { preset: 'nim', id: 'nim-2', model: 'moonshotai/kimi-k2.5' });
  assert.equal(status, 201, JSON.stringify(body));
  assert.equal(body.baseUrl, 'https://integrate.api.nvidia.com/v1');
  assert.equal(body.rpm, 40);
  assert.equal(body.apiKey, 'keychain');
  assert.equal(body.overflowTo, 'moonshot', 'the NIM preset overflows to Moonshot when the config has it');
});

test('invalid backends are refused naming the field; literal keys refused', async () => {
  const dup = await call('POST', '/api/backends', { id: 'nim', format: 'openai', baseUrl: 'http://x/v1', model: 'm' });
  assert.equal(dup.status, 409);
  assert.deepEqual(dup.body.error, { code: 'conflict', message: dup.body.error.message, field: 'id' });
  const bad = await call('POST', '/api/backends', { id: 'bad', format: 'soap', baseUrl: 'nope', model: 'm' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /format/);
  assert.match(bad.body.error.message, /baseUrl/);
  assert.equal(bad.body.error.code, 'invalid_request');
  assert.equal(bad.body.error.field, 'format', 'the first refused field, named within the backend');
  const literal = await call('POST', '/api/backends', { id: 'lit', format: 'openai', baseUrl: 'http://x/v1', model: 'm', apiKey: 'sk-secret-literal-key' });
  assert.equal(literal.status, 400);
  assert.match(literal.body.error.message, /literal key refused/);
  assert.ok(!JSON.stringify(literal.body).includes('sk-secret-literal-key'));
});

test('edits with PATCH (merge) and PUT (replace); ids cannot change', async () => {
  const patched = await call('PATCH', '/api/backends/ollama', { rpm: 30 });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.rpm, 30);
  assert.equal(patched.body.contextWindow, 32768);
  const replaced = await call('PUT', '/api/backends/ollama', { format: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'none', model: 'llama' });
  assert.equal(replaced.status, 200);
  assert.equal(replaced.body.contextWindow, undefined);
  const renamed = await call('PATCH', '/api/backends/ollama', { id: 'other' });
  assert.equal(renamed.status, 400);
  assert.equal(renamed.body.error.field, 'id');
  const ghost = await call('PATCH', '/api/backends/ghost', { rpm: 1 });
  assert.equal(ghost.status, 404);
  assert.deepEqual(ghost.body, { error: { code: 'not_found', message: 'no backend has id "ghost"' } });
});

test('failover order is validated and saved', async () => {
  assert.equal((await call('PUT', '/api/failover', { backends: ['nim', 'ghost'] })).status, 400);
  const ok = await call('PUT', '/api/failover', { backends: ['nim', 'ollama'] });
  assert.deepEqual(ok.body.failover, ['nim', 'ollama']);
});

test('removes a backend (not the active one), its key and its failover entry', async () => {
  const active = await call('DELETE', '/api/backends/moonshot');
  assert.equal(active.status, 409);
  assert.match(active.body.error.message, /switch to another one first/);
  assert.equal(active.body.error.code, 'conflict');
  const del = await call('DELETE', '/api/backends/ollama');
  assert.equal(del.status, 200);
  assert.deepEqual(forgotten, ['ollama']);
  assert.deepEqual(store.config.failover, ['nim']);
  assert.equal((await call('DELETE', '/api/backends/ollama')).status, 404);
});

test('removing a backend drops the overflowTo that named it', async () => {
  assert.equal((await call('POST', '/api/backends', { preset: 'moonshot', id: 'moon-b' })).status, 201);
  const nim3 = await call('POST', '/api/backends', { preset: 'nim', id: 'nim-3', overflowTo: 'moon-b' });
  assert.equal(nim3.status, 201, JSON.stringify(nim3.body));
  assert.equal((await call('DELETE', '/api/backends/moon-b')).status, 200);
  assert.equal(store.config.backends.find((b) => b.id === 'nim-3')?.overflowTo, undefined);
});

test('test endpoint returns the diagnosis; 404 for unknown backends', async () => {
  const d = await call('POST', '/api/backends/nim/test');
  assert.equal(d.body.verdict, 'ok');
  assert.equal((await call('POST', '/api/backends/ghost/test')).status, 404);
});
