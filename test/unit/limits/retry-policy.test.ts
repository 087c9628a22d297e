import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyFailure, isConnectionError, RetryPolicy } from '../../../app/limits/retry-policy';

const NOW = 1_800_000_000_000;
const first = { attemptNo: 1, startedAt: NOW, now: NOW };

function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}

test('retryable statuses are retried; client errors are not', () => {
  const policy = new RetryPolicy({ random: () => 0.5 });
  for (const status of [429, 500, 502, 503, 504, 529]) {
    assert.equal(policy.decide({ status }, first).retry, true, String(status));
  }
  for (const status of [400, 401, 403, 404, 413, 422]) {
    assert.deepEqual(policy.decide({ status }, first), { retry: false, reason: 'not_retryable' }, String(status));
  }
});

test('connection errors are retried, found through fetch-style cause chains', () => {
  const policy = new RetryPolicy({ random: () => 0.5 });
  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'ETIMEDOUT']) {
    const wrapped = new TypeError('fetch failed', { cause: errno(code) });
    assert.equal(isConnectionError(wrapped), true, code);
    assert.equal(policy.decide({ error: wrapped }, first).retry, true, code);
  }
  assert.equal(isConnectionError(new DOMException('timed out', 'TimeoutError')), true);
  assert.equal(isConnectionError(new Error('JSON parse failed')), false);
  assert.equal(isConnectionError('ECONNRESET'), false);
  assert.deepEqual(policy.decide({ error: new SyntaxError('bad') }, first), { retry: false, reason: 'not_retryable' });
});

test('nothing is retried once bytes reached the client', () => {
  const policy = new RetryPolicy();
  assert.deepEqual(policy.decide({ status: 503, retryable: false }, first), { retry: false, reason: 'client_received_bytes' });
  assert.deepEqual(policy.decide({ error: errno('ECONNRESET'), retryable: false }, first), {
    retry: false,
    reason: 'client_received_bytes',
  });
});

test('classifyFailure separates rate limiting, outages and fatal errors', () => {
  assert.equal(classifyFailure({ status: 429 }), 'rate_limited');
  assert.equal(classifyFailure({ status: 529 }), 'down');
  assert.equal(classifyFailure({ status: 502 }), 'down');
  assert.equal(classifyFailure({ error: errno('ECONNREFUSED') }), 'down');
  assert.equal(classifyFailure({ status: 401 }), 'fatal');
});

test('full jitter stays within [0, min(cap, base * 2^(n-1)))', () => {
  const low = new RetryPolicy({ baseDelayMs: 500, maxDelayMs: 20_000, random: () => 0 });
  const high = new RetryPolicy({ baseDelayMs: 500, maxDelayMs: 20_000, random: () => 0.999999 });
  const expectedCeilings = [500, 1000, 2000, 4000, 8000, 16_000, 20_000, 20_000];
  expectedCeilings.forEach((ceiling, i) => {
    assert.equal(low.backoffMs(i + 1), 0);
    const h = high.backoffMs(i + 1);
    assert.ok(h < ceiling && h >= ceiling - 1, `attempt ${i + 1}: ${h} vs ceiling ${ceiling}`);
  });
  let r = 0;
  const sequence = new RetryPolicy({ random: () => (r = (r + 0.37) % 1) });
  for (let n = 1; n <= 20; n++) {
    const d = sequence.backoffMs(3);
    assert.ok(d >= 0 && d < 2000, String(d));
  }
});

test('retry-after is honoured even when the jitter would be shorter', () => {
  const policy = new RetryPolicy({ random: () => 0 });
  assert.deepEqual(policy.decide({ status: 429, headers: { 'retry-after': '7' } }, first), { retry: true, delayMs: 7000 });
  assert.deepEqual(
    policy.decide({ status: 429, headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '3s' } }, first),
    { retry: true, delayMs: 3000 },
  );
  // A longer jitter is kept: the header is a minimum.
  const late = new RetryPolicy({ random: () => 0.999, baseDelayMs: 10_000 });
  const d = late.decide({ status: 503, headers: { 'retry-after': '1' } }, first);
  assert.ok(d.retry && d.delayMs > 9000);
});

test('the deadline stops retries, including when retry-after points past it', () => {
  const policy = new RetryPolicy({ deadlineMs: 10_000, random: () => 0.5, maxAttempts: 100 });
  assert.deepEqual(policy.decide({ status: 429, headers: { 'retry-after': '30' } }, first), { retry: false, reason: 'deadline' });
  assert.deepEqual(policy.decide({ status: 503 }, { attemptNo: 2, startedAt: NOW, now: NOW + 9_900 }), {
    retry: false,
    reason: 'deadline',
  });
  assert.equal(policy.decide({ status: 503 }, { attemptNo: 2, startedAt: NOW, now: NOW + 5_000 }).retry, true);
});

test('max attempts stops retries', () => {
  const policy = new RetryPolicy({ maxAttempts: 3, random: () => 0.5 });
  assert.equal(policy.decide({ status: 502 }, { ...first, attemptNo: 2 }).retry, true);
  assert.deepEqual(policy.decide({ status: 502 }, { ...first, attemptNo: 3 }), { retry: false, reason: 'max_attempts' });
});
