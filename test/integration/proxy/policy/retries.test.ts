import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicAuth, anthropicBody, call, openaiAuth, openaiBody, parseSse } from '../proxy-harness';
import { closedPortUrl, startPolicyHarness } from './policy-harness';

test('a 429 with retry-after, then success: the client sees only the success, the log shows one retry', async () => {
  const h = await startPolicyHarness();
  try {
    h.nim.setBrain((_req, history) => (history.length === 0 ? { fail: 'rate_limit', retryAfterSeconds: 1 } : { steps: [{ type: 'text', text: 'after the wait' }] }));
    const res = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody() });
    assert.equal(res.status, 200, res.text);
    assert.equal((res.json() as { content: Array<{ text: string }> }).content[0]?.text, 'after the wait');
    assert.equal(h.nim.requests.length, 2);

    const entry = await h.entry(String(res.headers['x-patchbay-request-id']));
    assert.equal(entry.retries, 1);
    assert.equal(entry.status, 200);
    assert.equal(entry.backend, 'nim');
    assert.equal(entry.error, undefined);
    const nim = h.stats.snapshot().backends.find((b) => b.backend === 'nim');
    assert.equal(nim?.requests, 2);
    assert.equal(nim?.rateLimited, 1);
    assert.equal(nim?.retries, 1);
  } finally {
    await h.close();
  }
});

test('retries exhausted: the last upstream error in the client format, with its wording, status and retry-after', async () => {
  const h = await startPolicyHarness({ retry: { maxAttempts: 2 } });
  try {
    h.nim.setBrain(() => ({ fail: 'rate_limit', retryAfterSeconds: 1 }));
    const res = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody() });
    assert.equal(res.status, 429, res.text);
    assert.deepEqual(res.json(), { type: 'error', error: { type: 'rate_limit_error', message: 'Too Many Requests' } });
    assert.equal(res.headers['retry-after'], '1');
    assert.equal(h.nim.requests.length, 2);
    const entry = await h.entry(String(res.headers['x-patchbay-request-id']));
    assert.equal(entry.status, 429);
    assert.equal(entry.retries, 1);
    assert.equal(entry.error, 'Too Many Requests');
  } finally {
    await h.close();
  }
});

test('the upstream dies mid-stream: an error event in the client format, no retry, the entry logged with the error', async () => {
  const h = await startPolicyHarness();
  try {
    h.nim.setBrain(() => ({ fail: 'drop_mid_stream', afterSteps: 1 }));
    // OpenAI client -> NIM: pass-through.
    const o = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ stream: true }) });
    assert.equal(o.status, 200);
    const oEvents = parseSse(o.text);
    const oLast = JSON.parse(oEvents[oEvents.length - 1]?.data ?? '{}') as { error?: { message?: string } };
    assert.match(oLast.error?.message ?? '', /nim/, o.text);
    // Anthropic client -> NIM: translated.
    const a = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ stream: true }) });
    assert.equal(a.status, 200);
    const aEvents = parseSse(a.text);
    assert.equal(aEvents[aEvents.length - 1]?.event, 'error', a.text);
    assert.ok(!aEvents.some((e) => e.event === 'message_stop'));
    assert.equal(h.nim.requests.length, 2, 'nothing was retried once content had gone out');

    for (const res of [o, a]) {
      const entry = await h.entry(String(res.headers['x-patchbay-request-id']));
      assert.equal(entry.status, 200);
      assert.equal(entry.aborted, true);
      assert.equal(entry.retries, 0);
      assert.equal(entry.streamed, true);
      assert.match(entry.error ?? '', /backend "nim"/);
      assert.ok(entry.ttftMs !== undefined && entry.bytesOut > 0);
    }
  } finally {
    await h.close();
  }
});

test('failover: the active backend refuses connections, the next one in the list serves (across formats)', async () => {
  const downUrl = await closedPortUrl();
  const h = await startPolicyHarness({
    active: 'down',
    failover: ['moonshot'],
    retry: { maxAttempts: 2 },
    extraBackends: [{ id: 'down', format: 'openai', baseUrl: downUrl, apiKey: 'none', model: 'gone-model' }],
  });
  try {
    const res = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody() });
    assert.equal(res.status, 200, res.text);
    assert.equal((res.json() as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content, 'ok');
    assert.equal(h.moonshot.requests.length, 1);
    assert.equal(h.moonshot.requests[0]?.body.model, 'kimi-k2.6');
    const entry = await h.entry(String(res.headers['x-patchbay-request-id']));
    assert.equal(entry.backend, 'moonshot');
    assert.equal(entry.failoverFrom, 'down');
    assert.equal(entry.modelUsed, 'kimi-k2.6');
    assert.equal(entry.retries, 1);
    const down = h.stats.snapshot().backends.find((b) => b.backend === 'down');
    assert.equal(down?.errors, 2);
  } finally {
    await h.close();
  }
});

test('failover: the active backend answers 503, a streaming request is served by the next one', async () => {
  const h = await startPolicyHarness({ failover: ['moonshot'], retry: { maxAttempts: 2 } });
  try {
    h.nim.setBrain(() => ({ fail: 'server_error', status: 503 }));
    const res = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ stream: true }) });
    assert.equal(res.status, 200, res.text);
    const events = parseSse(res.text);
    assert.equal(events[events.length - 1]?.event, 'message_stop');
    assert.equal(h.nim.requests.length, 2);
    assert.equal(h.moonshot.requests.length, 1);
    const entry = await h.entry(String(res.headers['x-patchbay-request-id']));
    assert.equal(entry.backend, 'moonshot');
    assert.equal(entry.failoverFrom, 'nim');
    assert.equal(entry.retries, 1);
    assert.equal(entry.error, undefined);
    const nim = h.stats.snapshot().backends.find((b) => b.backend === 'nim');
    assert.equal(nim?.failovers, 1, 'one failover for the request, however many attempts');
    assert.equal(nim?.failedOverTo, 'moonshot');
    assert.equal(nim?.consecutiveFailures, 2);
  } finally {
    await h.close();
  }
});

test('a request pinned to a backend never fails over', async () => {
  const h = await startPolicyHarness({ failover: ['moonshot'], retry: { maxAttempts: 2 } });
  try {
    h.nim.setBrain(() => ({ fail: 'server_error', status: 503 }));
    const res = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ model: 'nim/moonshotai/kimi-k2.6' }) });
    assert.equal(res.status, 503, res.text);
    assert.equal((res.json() as { error: { message: string } }).error.message, 'Service Unavailable');
    assert.equal(h.moonshot.requests.length, 0);
    assert.equal(h.nim.requests.length, 2);
  } finally {
    await h.close();
  }
});
