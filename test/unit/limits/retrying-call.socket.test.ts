// callWithRetries against real upstreams on loopback: real fetch errors and real statuses
// (delays are a few ms; nothing here measures time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BackendLimiter } from '../../../app/limits/backend-limiter';
import { RetryPolicy } from '../../../app/limits/retry-policy';
import { callWithRetries, type AttemptOutcome } from '../../../app/limits/retrying-call';
import type { CancelSignal } from '../../../app/limits/cancellation';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** An attempt as the proxy will make it: fetch, accept the response unless its status is retryable. */
async function fetchAttempt(url: string, cancel: CancelSignal): Promise<AttemptOutcome<Response>> {
  // fetch takes a real AbortSignal: bridge the attempt's cancel signal to one.
  const controller = new AbortController();
  cancel.addEventListener('abort', () => controller.abort(cancel.reason), { once: true });
  try {
    const response = await fetch(url, { method: 'POST', body: '{}', signal: controller.signal });
    if ([429, 500, 502, 503, 504, 529].includes(response.status)) {
      await response.arrayBuffer();
      return { ok: false, status: response.status, headers: response.headers };
    }
    return { ok: true, value: response };
  } catch (error) {
    return { ok: false, error };
  }
}

test('refused connection fails over; 503 and 429 (retry-after: 0) are retried; the 200 is served', async () => {
  const refused = createServer();
  const deadUrl = await listen(refused);
  await close(refused); // nothing listens there any more: ECONNREFUSED

  const statuses = [503, 429];
  const seen: number[] = [];
  const upstream = createServer((req, res) => {
    const status = statuses.shift() ?? 200;
    seen.push(status);
    if (status === 429) res.setHeader('retry-after', '0');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status }));
  });
  const liveUrl = await listen(upstream);
  try {
    const urls: Record<string, string> = { dead: deadUrl, live: liveUrl };
    const limiter = new BackendLimiter({ live: { rpm: 40, maxConcurrency: 2 } });
    const failures: string[] = [];
    const result = await callWithRetries({
      backends: ['dead', 'live'],
      limiter,
      policy: new RetryPolicy({ baseDelayMs: 2, maxDelayMs: 5, maxAttempts: 3 }),
      attempt: (backend, _n, signal) => fetchAttempt(urls[backend] as string, signal),
      onRetry: (info) => failures.push(`${info.backend}:${info.failure.status ?? 'error'}`),
    });
    assert.equal(result.backend, 'live');
    assert.equal(result.failoverFrom, 'dead');
    assert.equal(result.value.status, 200);
    assert.deepEqual(await result.value.json(), { status: 200 });
    result.permit.release();
    assert.deepEqual(failures, ['dead:error', 'dead:error', 'live:503', 'live:429']);
    assert.deepEqual(seen, [503, 429, 200]);
    assert.equal(limiter.stats('live').startsLastMinute, 3);
    assert.equal(limiter.stats('live').inFlight, 0);
  } finally {
    await close(upstream);
  }
});
