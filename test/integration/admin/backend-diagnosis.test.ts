import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { diagnoseBackend } from '../../../app/api/backend-diagnosis';
import type { BackendConfig } from '../../../app/config/schema';
import { startFakeNim } from '../../fakes/fake-nim';
import { startFakeMoonshot } from '../../fakes/fake-moonshot';

const nim = await startFakeNim({ key: 'nvapi-diag-key-123456', rpm: 3 });
const moonshot = await startFakeMoonshot({ key: 'sk-moonshot-diag-key-987654' });
after(() => Promise.all([nim.close(), moonshot.close()]));

const nimBackend: BackendConfig = { id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:X', model: 'moonshotai/kimi-k2.6' };
const moonshotBackend: BackendConfig = { id: 'moonshot', format: 'anthropic', baseUrl: moonshot.url, apiKey: 'keychain', model: 'kimi-k2.6' };

function assertNoKey(d: object, key: string) {
  assert.ok(!JSON.stringify(d).includes(key), 'the key must never appear in a diagnosis');
}

test('a working OpenAI-format backend is ok, with latency', async () => {
  const d = await diagnoseBackend(nimBackend, nim.key);
  assert.equal(d.verdict, 'ok', d.message);
  assert.ok(d.ok);
  assert.equal(typeof d.latencyMs, 'number');
  assertNoKey(d, nim.key);
});

test('a working Anthropic-format backend is ok', async () => {
  const d = await diagnoseBackend(moonshotBackend, moonshot.key);
  assert.equal(d.verdict, 'ok', d.message);
});

test('a bad key is named as such', async () => {
  const wrong = 'nvapi-wrong-key-000000';
  const d = await diagnoseBackend(nimBackend, wrong);
  assert.equal(d.verdict, 'bad_key', d.message);
  assert.equal(d.status, 401);
  assertNoKey(d, wrong);
  const m = await diagnoseBackend(moonshotBackend, 'sk-wrong-000000');
  assert.equal(m.verdict, 'bad_key', m.message);
});

test('an unknown model is named as such', async () => {
  const d = await diagnoseBackend({ ...nimBackend, model: 'moonshotai/kimi-k9' }, nim.key);
  assert.equal(d.verdict, 'unknown_model', d.message);
  assert.match(d.message, /kimi-k9/);
});

test('a base URL missing /v1 is diagnosed as a wrong base URL with the hint', async () => {
  const d = await diagnoseBackend({ ...nimBackend, baseUrl: nim.url.replace(/\/v1$/, '') }, nim.key);
  assert.equal(d.verdict, 'wrong_base_url', d.message);
  assert.match(d.message, /\/v1/);
});

test('an unreachable backend says so', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const d = await diagnoseBackend({ ...nimBackend, baseUrl: `http://127.0.0.1:${port}/v1` }, nim.key);
  assert.equal(d.verdict, 'unreachable', d.message);
  assert.match(d.message, /connection refused/);
});

test('no key configured is said before any request, with how to fix it', async () => {
  const d = await diagnoseBackend(nimBackend, undefined);
  assert.equal(d.verdict, 'no_key');
  assert.match(d.message, /environment variable X/);
});

test('rate limiting is told apart from a bad key', async () => {
  let last;
  for (let i = 0; i < 5; i++) last = await diagnoseBackend(nimBackend, nim.key);
  assert.equal(last?.verdict, 'rate_limited', last?.message);
});
