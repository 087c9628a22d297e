import { test } from 'node:test';
import { request as httpRequest } from 'node:http';
import assert from 'node:assert/strict';
import { anthropicAuth, anthropicBody, call, open, openaiAuth, openaiBody, parseSse, waitFor } from '../proxy-harness';
import { startSlowUpstream } from '../slow-upstream';
import { startPolicyHarness } from './policy-harness';
import { collect } from '../../../helpers/http';


test('a client hanging up mid-stream: the upstream request is aborted, the permit freed, the entry logged as aborted', async () => {
  const slow = await startSlowUpstream({ holdHeaders: false });
  const h = await startPolicyHarness({
    active: 'slow',
    extraBackends: [{ id: 'slow', format: 'openai', baseUrl: slow.url, apiKey: 'none', model: 'slow-model', maxConcurrency: 1 }],
  });
  try {
    const res = await open(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ stream: true }) });
    const id = String(res.headers['x-patchbay-request-id']);
    const live = collect(res);
    live.done.catch(() => undefined);
    await waitFor(() => live.text().includes('hel'), 'the first chunk');
    assert.equal(h.limiter.stats('slow').inFlight, 1);
    res.destroy();

    await waitFor(() => slow.sawClientClose, 'the upstream to see the proxy close the connection');
    const entry = await h.entry(id);
    assert.equal(entry.aborted, true);
    assert.equal(entry.status, 200);
    assert.equal(entry.backend, 'slow');
    assert.match(entry.error ?? '', /client disconnected/);
    await waitFor(() => h.limiter.stats('slow').inFlight === 0, 'the permit to be released');
  } finally {
    await h.close();
    await slow.close();
  }
});

test('clients hanging up before the upstream answers: counted as errors, not as the upstream failing', async () => {
  const slow = await startSlowUpstream({ holdHeaders: true });
  const h = await startPolicyHarness({
    active: 'slow',
    extraBackends: [{ id: 'slow', format: 'openai', baseUrl: slow.url, apiKey: 'none', model: 'slow-model' }],
  });
  const slowStats = () => h.stats.snapshot().backends.find((b) => b.backend === 'slow');
  try {
    for (let i = 1; i <= 3; i++) {
      const body = JSON.stringify(openaiBody({ stream: true }));
      const req = httpRequest({ host: '127.0.0.1', port: h.port, path: '/v1/chat/completions', method: 'POST', agent: false, headers: { ...openaiAuth, 'content-type': 'application/json' } });
      req.on('error', () => undefined); // destroyed on purpose
      req.end(body);
      await waitFor(() => slow.received === i, `request ${i} upstream`);
      req.destroy();
      await waitFor(() => slowStats()?.inFlight === 0, `attempt ${i} over`);
    }
    assert.equal(slowStats()?.requests, 3);
    assert.equal(slowStats()?.errors, 3);
    assert.equal(slowStats()?.consecutiveFailures, 0, 'the upstream never failed');
  } finally {
    await h.close();
    await slow.close();
  }
});

test('a request that would wait past maxQueueWaitMs gets a 429 with retry-after, in both client formats', async () => {
  const h = await startPolicyHarness({ nimOverrides: { rpm: 1 }, maxQueueWaitMs: 1000 });
  try {
    const first = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody() });
    assert.equal(first.status, 200);

    const a = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody() });
    assert.equal(a.status, 429, a.text);
    const aBody = a.json() as { type: string; error: { type: string; message: string } };
    assert.equal(aBody.type, 'error');
    assert.equal(aBody.error.type, 'rate_limit_error');
    assert.match(aBody.error.message, /backend "nim" is at its request rate limit/);
    assert.ok(Number(a.headers['retry-after']) >= 1, `retry-after: ${a.headers['retry-after']}`);

    const o = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ stream: true }) });
    assert.equal(o.status, 429, o.text);
    const oBody = o.json() as { error: { type: string; code: string } };
    assert.equal(oBody.error.type, 'rate_limit_error');
    assert.equal(oBody.error.code, 'rate_limit_exceeded');
    assert.ok(Number(o.headers['retry-after']) >= 1, `retry-after: ${o.headers['retry-after']}`);

    assert.equal(h.nim.requests.length, 1, 'refused requests never went upstream');
    for (const res of [a, o]) {
      const entry = await h.entry(String(res.headers['x-patchbay-request-id']));
      assert.equal(entry.status, 429);
      assert.match(entry.error ?? '', /rate limit/);
    }
  } finally {
    await h.close();
  }
});

test('a streaming request that already got pings and then times out in the queue gets the 429 as an error event', async () => {
  const slow = await startSlowUpstream({ holdHeaders: false });
  const h = await startPolicyHarness({
    active: 'slow',
    pingIntervalMs: 20,
    maxQueueWaitMs: 300,
    extraBackends: [{ id: 'slow', format: 'openai', baseUrl: slow.url, apiKey: 'none', model: 'slow-model', maxConcurrency: 1 }],
  });
  try {
    const busy = await open(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ stream: true }) });
    const busyLive = collect(busy);
    await waitFor(() => busyLive.text().includes('hel'), 'the first stream to hold the only slot');

    const queued = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ stream: true }) });
    assert.equal(queued.status, 200);
    const events = parseSse(queued.text);
    assert.equal(events[0]?.event, 'ping', queued.text);
    const last = events[events.length - 1];
    assert.equal(last?.event, 'error', queued.text);
    assert.equal((JSON.parse(last?.data ?? '{}') as { error: { type: string } }).error.type, 'rate_limit_error');
    assert.equal(slow.received, 1);

    slow.releaseRest();
    await busyLive.done;
    const entry = await h.entry(String(queued.headers['x-patchbay-request-id']));
    assert.ok(entry.queueWaitMs > 0, `queue wait ${entry.queueWaitMs}`);
    assert.match(entry.error ?? '', /rate limit/);
  } finally {
    await h.close();
    await slow.close();
  }
});
