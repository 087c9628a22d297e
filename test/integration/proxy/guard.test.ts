import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminAuth, anthropicAuth, anthropicBody, call, CLIENT_TOKEN, openaiAuth, openaiBody, startHarness, type Harness } from './proxy-harness';

let h: Harness;
before(async () => {
  h = await startHarness({ bodyLimitBytes: 64 * 1024 });
});
after(async () => h.close());

function anthropicError(r: { json(): unknown }): { type: string; message: string } {
  const body = r.json() as { type: string; error: { type: string; message: string } };
  assert.equal(body.type, 'error');
  return body.error;
}

function openaiError(r: { json(): unknown }): { type: string; message: string } {
  return (r.json() as { error: { type: string; message: string } }).error;
}

test('a non-loopback Host is refused with 403 (DNS rebinding)', async () => {
  for (const host of ['evil.example.com', 'evil.example.com:8080', '192.168.1.2']) {
    const r = await call(h, '/v1/messages', { headers: { ...anthropicAuth, host }, body: anthropicBody() });
    assert.equal(r.status, 403, host);
    assert.equal(anthropicError(r).type, 'permission_error');
  }
  for (const host of [`localhost:${h.port}`, `[::1]:${h.port}`, '127.0.0.1']) {
    const r = await call(h, '/', { headers: { host } });
    assert.equal(r.status, 200, host);
  }
  assert.equal(h.nim.requests.length + h.moonshot.requests.length, 0, 'nothing reached an upstream');
});

test('a request with a foreign Origin is refused with 403; the own origin passes', async () => {
  const r = await call(h, '/v1/chat/completions', { headers: { ...openaiAuth, origin: 'https://evil.example.com' }, body: openaiBody() });
  assert.equal(r.status, 403);
  assert.equal(openaiError(r).type, 'permission_error');
  const own = await call(h, '/v1/models', { headers: { ...openaiAuth, origin: `http://127.0.0.1:${h.port}` } });
  assert.equal(own.status, 200);
});

test('missing or wrong client token: 401 in the Anthropic format on /v1/messages', async () => {
  const missing = await call(h, '/v1/messages', { headers: { 'anthropic-version': '2023-06-01' }, body: anthropicBody() });
  assert.equal(missing.status, 401);
  assert.equal(anthropicError(missing).type, 'authentication_error');
  const wrong = await call(h, '/v1/messages', { headers: { 'x-api-key': CLIENT_TOKEN + 'x' }, body: anthropicBody() });
  assert.equal(wrong.status, 401);
  const bearer = await call(h, '/v1/messages', { headers: { authorization: `Bearer ${CLIENT_TOKEN}` }, body: anthropicBody() });
  assert.equal(bearer.status, 200, bearer.text);
});

test('missing or wrong client token: 401 in the OpenAI format on /v1/chat/completions and /v1/models', async () => {
  const wrong = await call(h, '/v1/chat/completions', { headers: { authorization: 'Bearer nope' }, body: openaiBody() });
  assert.equal(wrong.status, 401);
  assert.equal(openaiError(wrong).type, 'authentication_error');
  const models = await call(h, '/v1/models');
  assert.equal(models.status, 401);
  assert.equal(openaiError(models).type, 'authentication_error');
  const modelsAnthropic = await call(h, '/v1/models', { headers: { 'anthropic-version': '2023-06-01' } });
  assert.equal(anthropicError(modelsAnthropic).type, 'authentication_error');
});

test('the admin API needs the admin token, not the client token', async () => {
  assert.equal((await call(h, '/api/state')).status, 401);
  assert.equal((await call(h, '/api/state', { headers: openaiAuth })).status, 401);
  assert.equal((await call(h, '/api/state', { headers: adminAuth })).status, 200);
});

test('an oversized body is refused with 413 in the client format', async () => {
  const big = anthropicBody({ messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] });
  const r = await call(h, '/v1/messages', { headers: anthropicAuth, body: big });
  assert.equal(r.status, 413);
  assert.equal(anthropicError(r).type, 'request_too_large');
  const o = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] }) });
  assert.equal(o.status, 413);
  assert.ok(openaiError(o).message.length > 0);
});

test('invalid JSON is refused with 400 in the client format', async () => {
  const r = await call(h, '/v1/messages', { headers: anthropicAuth, raw: '{"model": "x",' });
  assert.equal(r.status, 400);
  assert.equal(anthropicError(r).type, 'invalid_request_error');
  const o = await call(h, '/v1/chat/completions', { headers: openaiAuth, raw: 'not json' });
  assert.equal(o.status, 400);
  assert.equal(openaiError(o).type, 'invalid_request_error');
});

test('GET / and HEAD / answer without secrets; unknown routes 404 in the client format', async () => {
  const root = await call(h, '/');
  assert.deepEqual(root.json(), { name: 'patchbay', ok: true });
  const head = await call(h, '/', { method: 'HEAD' });
  assert.equal(head.status, 200);
  const missing = await call(h, '/v1/nothing', { headers: openaiAuth });
  assert.equal(missing.status, 404);
  assert.equal(openaiError(missing).type, 'not_found_error');
});
