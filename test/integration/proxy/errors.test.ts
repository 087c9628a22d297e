import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicAuth, anthropicBody, call, openaiAuth, openaiBody, parseSse, startHarness, type CallResult, type Harness } from './proxy-harness';

let h: Harness;
const responses: CallResult[] = [];
before(async () => {
  h = await startHarness({
    extraBackends: [
      { id: 'down', format: 'openai', baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'env:DOWN_KEY', model: 'm' },
      { id: 'keyless', format: 'openai', baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'env:KEYLESS_KEY_NOT_SET', model: 'm' },
      { id: 'small', format: 'anthropic', baseUrl: 'http://127.0.0.1:1/anthropic', apiKey: 'env:DOWN_KEY', model: 'm', contextWindow: 50 },
    ],
    env: { DOWN_KEY: 'sk-SECRET-down-key-0123456789' },
  });
});
after(async () => h.close());

async function tracked(path: string, opts: Parameters<typeof call>[2]): Promise<CallResult> {
  const r = await call(h, path, opts);
  responses.push(r);
  return r;
}

function resetBrains(): void {
  h.nim.setBrain(() => ({ steps: [{ type: 'text', text: 'ok' }] }));
  h.moonshot.setBrain(() => ({ steps: [{ type: 'text', text: 'ok' }] }));
}

test('upstream 429 is relayed with its status, retry-after and wording, in each client format', async () => {
  h.nim.setBrain(() => ({ fail: 'rate_limit', retryAfterSeconds: 7 }));
  h.moonshot.setBrain(() => ({ fail: 'rate_limit', retryAfterSeconds: 9 }));
  try {
    const same = await tracked('/v1/chat/completions', { headers: openaiAuth, body: openaiBody() });
    assert.equal(same.status, 429);
    assert.equal(same.headers['retry-after'], '7');
    assert.match(same.text, /Too Many Requests/);

    const crossed = await tracked('/v1/messages', { headers: anthropicAuth, body: anthropicBody() });
    assert.equal(crossed.status, 429);
    assert.equal(crossed.headers['retry-after'], '7');
    const err = (crossed.json() as { error: { type: string; message: string } }).error;
    assert.equal(err.type, 'rate_limit_error');
    assert.match(err.message, /Too Many Requests/);

    const passAnthropic = await tracked('/v1/messages', { headers: anthropicAuth, body: anthropicBody({ model: 'moonshot/claude-sonnet-4-6', stream: true }) });
    assert.equal(passAnthropic.status, 429);
    assert.equal((passAnthropic.json() as { error: { type: string } }).error.type, 'rate_limit_error');
  } finally {
    resetBrains();
  }
});

test('upstream 500 is relayed as an api error with the upstream wording', async () => {
  h.nim.setBrain(() => ({ fail: 'server_error', status: 500 }));
  try {
    const r = await tracked('/v1/messages', { headers: anthropicAuth, body: anthropicBody({ stream: true }) });
    assert.equal(r.status, 500);
    const err = (r.json() as { error: { type: string; message: string } }).error;
    assert.equal(err.type, 'api_error');
    assert.match(err.message, /Internal Server Error/);
  } finally {
    resetBrains();
  }
});

test('an upstream context overflow reaches Anthropic clients as "prompt is too long"', async () => {
  h.nim.setBrain(() => ({ fail: 'context_overflow' }));
  h.moonshot.setBrain(() => ({ fail: 'context_overflow' }));
  try {
    for (const model of ['claude-sonnet-4-6', 'moonshot/claude-sonnet-4-6']) {
      const r = await tracked('/v1/messages', { headers: anthropicAuth, body: anthropicBody({ model, stream: true }) });
      assert.equal(r.status, 400, model);
      const err = (r.json() as { error: { type: string; message: string } }).error;
      assert.equal(err.type, 'invalid_request_error');
      assert.match(err.message, /^prompt is too long/, model);
    }
  } finally {
    resetBrains();
  }
});

test('a prompt over the backend context window is refused before any upstream call', async () => {
  const r = await tracked('/v1/messages', { headers: anthropicAuth, body: anthropicBody({ model: 'small/claude-sonnet-4-6', messages: [{ role: 'user', content: 'word '.repeat(400) }] }) });
  assert.equal(r.status, 400);
  assert.match((r.json() as { error: { message: string } }).error.message, /^prompt is too long: \d+ tokens > 50 maximum/);
});

test('nothing listening on a loopback upstream is a 400 configuration error (not retried by clients) naming the backend and host, not the key', async () => {
  const r = await tracked('/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ model: 'down/m' }) });
  assert.equal(r.status, 400);
  const message = (r.json() as { error: { message: string } }).error.message;
  assert.match(message, /"down"/);
  assert.match(message, /127\.0\.0\.1:1/);
  const s = await tracked('/v1/messages', { headers: anthropicAuth, body: anthropicBody({ model: 'down/claude-sonnet-4-6', stream: true }) });
  assert.equal(s.status, 400, s.text);
  assert.equal((s.json() as { error: { type: string } }).error.type, 'invalid_request_error');
});

test('a backend without a key is a 400 configuration error (Claude Code retries 401s for minutes) naming the backend and the env var', async () => {
  const r = await tracked('/v1/messages', { headers: anthropicAuth, body: anthropicBody({ model: 'keyless/claude-sonnet-4-6' }) });
  assert.equal(r.status, 400);
  const err = (r.json() as { error: { type: string; message: string } }).error;
  assert.equal(err.type, 'invalid_request_error');
  assert.match(err.message, /"keyless"/);
  assert.match(err.message, /KEYLESS_KEY_NOT_SET/);
});

test('no upstream key appears in any response body or header seen in these tests', async () => {
  // A few more exchanges, streaming and not, to widen the scan.
  responses.push(await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ stream: true }) }));
  responses.push(await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ model: 'moonshot/kimi-k2.6' }) }));
  responses.push(await call(h, '/api/state', { headers: { authorization: 'Bearer pb-admin-test-token-0123456789ab' } }));
  assert.ok(responses.length >= 12);
  const secrets = [h.nim.key, h.moonshot.key, 'sk-SECRET-down-key-0123456789', 'SECRET'];
  for (const r of responses) {
    const seen = r.text + JSON.stringify(r.headers);
    for (const secret of secrets) assert.ok(!seen.includes(secret), `a key leaked: ${seen.slice(0, 200)}`);
  }
  // sanity: the streams above did stream
  assert.ok(parseSse(responses[responses.length - 3]!.text).some((e) => e.event === 'message_stop'));
});
