// The assembled engine on a real socket: admin routes are guarded, config edits reach routing,
// a switch is saved to the config file, the request log and live stats see the traffic.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';
import { startEngine } from '../../../app/runtime/engine';
import { startFakeMoonshot } from '../../fakes/fake-moonshot';
import { startFakeNim } from '../../fakes/fake-nim';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

const nim = await startFakeNim({ key: 'nvapi-engine-test-key-000111' });
const moonshot = await startFakeMoonshot({ key: 'sk-engine-test-moonshot-222333' });
const dir = makeTempDir('engine');
const configPath = join(dir, 'config.json');
const clientToken = `pb-client-${randomBytes(16).toString('hex')}`;
const adminToken = `pb-admin-${randomBytes(16).toString('hex')}`;
writeFileSync(
  configPath,
  JSON.stringify({
    clientToken,
    adminToken,
    active: 'nim',
    backends: [{ id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:NIM_KEY', model: 'moonshotai/kimi-k2.6', kimi: true, rpm: 40 }],
  }),
);
const engine = await startEngine({
  configPath,
  dataDir: join(dir, 'data'),
  env: { NIM_KEY: nim.key, MOON_KEY: moonshot.key },
  keychainService: `patchbay-test-${randomBytes(4).toString('hex')}`,
});
const url = await engine.listen('127.0.0.1', 0);
after(async () => {
  await engine.close();
  await Promise.all([nim.close(), moonshot.close()]);
  removeTempDirs(dir);
});

const admin = (path: string, init: RequestInit = {}) =>
  fetch(url + path, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}`, ...(init.headers ?? {}) } });
const messages = (model: string) =>
  fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': clientToken, 'anthropic-version': '2023-06-01', 'user-agent': 'claude-cli/2.1.197 (external, cli)' },
    body: JSON.stringify({ model, max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] }),
  });

test('admin routes need the admin token; the client token is not enough', async () => {
  for (const path of ['/api/backends', '/api/requests', '/api/presets', '/api/state']) {
    assert.equal((await fetch(url + path)).status, 401, path);
    assert.equal((await fetch(url + path, { headers: { authorization: `Bearer ${clientToken}` } })).status, 401, path);
    assert.equal((await admin(path)).status, 200, path);
  }
});

test('a backend added through the admin API serves requests at once, and is saved', async () => {
  const created = await admin('/api/backends', {
    method: 'POST',
    body: JSON.stringify({ id: 'moon', format: 'anthropic', baseUrl: moonshot.url, apiKey: 'env:MOON_KEY', model: 'kimi-k2.6' }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const res = await messages('moon/kimi-k2.6');
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(moonshot.requests.filter((r) => !r.rejected).length, 1);
  assert.ok(JSON.parse(readFileSync(configPath, 'utf8')).backends.some((b: { id: string }) => b.id === 'moon'));
  const diagnosis = (await (await admin('/api/backends/moon/test', { method: 'POST' })).json()) as { verdict: string; message: string };
  assert.equal(diagnosis.verdict, 'ok', diagnosis.message);
});

test('a switch through PUT /api/active routes the next request and is saved to the config file', async () => {
  const before = nim.requests.length;
  assert.equal((await messages('claude-sonnet-4-5')).status, 200);
  assert.equal(nim.requests.length, before + 1, 'served by the active backend (nim)');
  const put = await admin('/api/active', { method: 'PUT', body: JSON.stringify({ backend: 'moon' }) });
  assert.equal(put.status, 200);
  const res = await messages('claude-sonnet-4-5');
  assert.equal(res.status, 200);
  assert.equal(nim.requests.length, before + 1, 'nim got nothing after the switch');
  for (let i = 0; i < 50 && JSON.parse(readFileSync(configPath, 'utf8')).active !== 'moon'; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(JSON.parse(readFileSync(configPath, 'utf8')).active, 'moon');
  const del = await admin('/api/backends/moon', { method: 'DELETE' });
  assert.equal(del.status, 409, await del.clone().text());
});

test('the request log and the live stats saw the traffic', async () => {
  const list = (await (await admin('/api/requests?backend=moon')).json()) as { items: Array<Record<string, unknown>> };
  assert.ok(list.items.length >= 2, JSON.stringify(list));
  const entry = list.items[0]!;
  assert.equal(entry.agent, 'claude-code');
  assert.equal(entry.inboundFormat, 'anthropic');
  assert.equal(entry.status, 200);

  const abort = new AbortController();
  const res = await admin('/api/events', { signal: abort.signal });
  assert.equal(res.status, 200);
  let snapshot: { backends: Record<string, unknown> | Array<{ id: string }> } | undefined;
  const parser = createParser({
    onEvent: (e) => {
      if (e.event === 'stats') snapshot = JSON.parse(e.data);
    },
  });
  const reader = res.body!.getReader();
  while (!snapshot) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.feed(new TextDecoder().decode(value));
  }
  abort.abort();
  const text = JSON.stringify(snapshot);
  assert.match(text, /"moon"/);
  assert.match(text, /"nim"/);
  assert.ok(!text.includes(nim.key) && !text.includes(moonshot.key));
});
