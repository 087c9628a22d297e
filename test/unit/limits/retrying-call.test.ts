import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendLimiter, QueueTimeoutError } from '../../../app/limits/backend-limiter';
import { failoverOrder } from '../../../app/limits/failover';
import { ManualClock } from '../../../app/limits/manual-clock';
import { RetryPolicy } from '../../../app/limits/retry-policy';
import {
  callWithRetries,
  UpstreamFailedError,
  type AttemptOutcome,
  type CallWithRetriesOptions,
  type FailoverInfo,
  type RetryInfo,
} from '../../../app/limits/retrying-call';

type Script = Record<string, Array<AttemptOutcome<string>>>;

/** A fake upstream per backend answering from a script; records every attempt with its time. */
function setup(script: Script, policyOptions: ConstructorParameters<typeof RetryPolicy>[0] = {}) {
  const clock = new ManualClock();
  const t0 = clock.now();
  const limiter = new BackendLimiter({}, { clock });
  const policy = new RetryPolicy({ random: () => 0.5, ...policyOptions });
  const calls: Array<{ backend: string; attemptNo: number; at: number }> = [];
  const retries: RetryInfo[] = [];
  const failovers: FailoverInfo[] = [];
  const attempt = async (backend: string, attemptNo: number): Promise<AttemptOutcome<string>> => {
    calls.push({ backend, attemptNo, at: clock.now() - t0 });
    const next = script[backend]?.shift();
    assert.ok(next, `unexpected attempt ${attemptNo} on ${backend}`);
    return next;
  };
  const run = (backends: string[], extra: Partial<CallWithRetriesOptions<string>> = {}) => {
    let settled = false;
    const promise = callWithRetries({
      backends,
      limiter,
      policy,
      clock,
      attempt,
      onRetry: (i) => retries.push(i),
      onFailover: (i) => failovers.push(i),
      ...extra,
    });
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    return { promise, drive: () => clock.runUntil(() => settled) };
  };
  return { clock, limiter, calls, retries, failovers, run };
}

const ok = (value: string): AttemptOutcome<string> => ({ ok: true, value });
const fail = (status: number, headers?: Record<string, string>): AttemptOutcome<string> => ({ ok: false, status, headers });

test('success on the first try returns the value, the backend and a held permit', async () => {
  const { run, limiter, calls } = setup({ nim: [ok('hello')] });
  const { promise, drive } = run(['nim', 'moonshot']);
  await drive();
  const result = await promise;
  assert.equal(result.value, 'hello');
  assert.equal(result.backend, 'nim');
  assert.equal(result.retries, 0);
  assert.equal(result.attempts, 1);
  assert.equal(result.failoverFrom, undefined);
  assert.equal(calls.length, 1);
  assert.equal(limiter.stats('nim').inFlight, 1, 'permit held until the caller says the exchange is done');
  result.permit.release();
  assert.equal(limiter.stats('nim').inFlight, 0);
});

test('a 503 is retried after the jittered backoff; failed attempts release their permits', async () => {
  const { run, calls, retries, limiter } = setup({ nim: [fail(503), fail(502), ok('fine')] }, { baseDelayMs: 1000 });
  const { promise, drive } = run(['nim']);
  await drive();
  const result = await promise;
  assert.equal(result.value, 'fine');
  assert.equal(result.retries, 2);
  assert.deepEqual(
    calls.map((c) => [c.attemptNo, c.at]),
    [
      [1, 0],
      [2, 500], // 0.5 * 1000
      [3, 1500], // + 0.5 * 2000
    ],
  );
  assert.deepEqual(
    retries.map((r) => [r.attemptNo, r.delayMs, r.failure.status]),
    [
      [1, 500, 503],
      [2, 1000, 502],
    ],
  );
  assert.equal(limiter.stats('nim').inFlight, 1);
  result.permit.release();
});

test('429 with retry-after: the retry waits at least that long and the backend is paused for everyone', async () => {
  const { run, calls, limiter, clock } = setup({ nim: [fail(429, { 'retry-after': '7' }), ok('after pause')] });
  const t0 = clock.now();
  const { promise, drive } = run(['nim']);
  await clock.advance(0);
  assert.equal(limiter.stats('nim').pausedUntil, t0 + 7000, 'penalized until retry-after');
  // Another request for the same backend now waits for the pause too.
  let otherStartedAt: number | undefined;
  const other = limiter.acquire('nim').then((p) => ((otherStartedAt = clock.now()), p));
  await drive();
  const result = await promise;
  assert.equal(result.value, 'after pause');
  assert.equal(calls[1]?.at, 7000);
  await clock.runUntil(() => otherStartedAt !== undefined);
  assert.ok(otherStartedAt !== undefined && otherStartedAt >= t0 + 7000);
  (await other).release();
  result.permit.release();
});

test('a 400 is not retried and does not fail over', async () => {
  const { run, calls, failovers } = setup({ nim: [fail(400)], moonshot: [ok('unused')] });
  const { promise, drive } = run(['nim', 'moonshot']);
  await drive();
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UpstreamFailedError);
    assert.equal(error.backend, 'nim');
    assert.equal(error.failure.status, 400);
    assert.equal(error.reason, 'not_retryable');
    assert.equal(error.attempts, 1);
    return true;
  });
  assert.equal(calls.length, 1);
  assert.deepEqual(failovers, []);
});

test('a backend that stays down hands over to the next in failover order; the result says which served', async () => {
  const econnrefused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  const { run, calls, failovers } = setup(
    {
      nim: [fail(503), { ok: false, error: econnrefused }],
      backup: [fail(529), fail(529)],
      moonshot: [ok('served by moonshot')],
    },
    { maxAttempts: 2 },
  );
  const { promise, drive } = run(failoverOrder('nim', ['backup', 'moonshot']));
  await drive();
  const result = await promise;
  assert.equal(result.value, 'served by moonshot');
  assert.equal(result.backend, 'moonshot');
  assert.equal(result.failoverFrom, 'nim');
  assert.equal(result.attempts, 5);
  assert.equal(result.retries, 2);
  assert.deepEqual(
    calls.map((c) => `${c.backend}#${c.attemptNo}`),
    ['nim#1', 'nim#2', 'backup#1', 'backup#2', 'moonshot#1'],
  );
  assert.deepEqual(failovers, [
    { from: 'nim', to: 'backup', reason: 'down' },
    { from: 'backup', to: 'moonshot', reason: 'down' },
  ]);
  result.permit.release();
});

test('a 429 that persists after retries fails over as rate limited', async () => {
  const { run, failovers } = setup({ nim: [fail(429), fail(429)], moonshot: [ok('m')] }, { maxRateLimitedAttempts: 2 });
  const { promise, drive } = run(['nim', 'moonshot']);
  await drive();
  const result = await promise;
  assert.equal(result.backend, 'moonshot');
  assert.deepEqual(failovers, [{ from: 'nim', to: 'moonshot', reason: 'rate_limited' }]);
  result.permit.release();
});

test('a backend whose queue would exceed the wait is skipped without an attempt', async () => {
  const { run, calls, failovers, limiter, clock } = setup({ moonshot: [ok('m')] });
  limiter.penalize('nim', clock.now() + 10 * 60_000);
  const { promise, drive } = run(['nim', 'moonshot'], { maxQueueWaitMs: 60_000 });
  await drive();
  const result = await promise;
  assert.equal(result.backend, 'moonshot');
  assert.equal(result.failoverFrom, 'nim');
  assert.deepEqual(calls.map((c) => c.backend), ['moonshot']);
  assert.deepEqual(failovers, [{ from: 'nim', to: 'moonshot', reason: 'queue_timeout' }]);
  result.permit.release();
});

test('when every backend is out, the last failure is thrown (queue timeout keeps its retry-after)', async () => {
  const { run, limiter, clock } = setup({ nim: [fail(503)] }, { maxAttempts: 1 });
  limiter.penalize('moonshot', clock.now() + 300_000);
  const { promise, drive } = run(['nim', 'moonshot'], { maxQueueWaitMs: 60_000 });
  await drive();
  await assert.rejects(promise, (error: unknown) => error instanceof QueueTimeoutError && error.retryAfterSeconds === 300);

  const second = setup({ nim: [fail(503)], moonshot: [fail(504)] }, { maxAttempts: 1 });
  const r2 = second.run(['nim', 'moonshot']);
  await r2.drive();
  await assert.rejects(r2.promise, (e: unknown) => e instanceof UpstreamFailedError && e.backend === 'moonshot' && e.failure.status === 504);
});

test('the deadline stops retrying: retry-after beyond the budget is not waited for', async () => {
  const { run, calls } = setup({ nim: [fail(429, { 'retry-after': '120' })] }, { deadlineMs: 90_000 });
  const { promise, drive } = run(['nim']);
  await drive();
  await assert.rejects(promise, (e: unknown) => e instanceof UpstreamFailedError && e.reason === 'deadline');
  assert.equal(calls.length, 1);
});

test('an attempt marked non-retryable (bytes already sent) is neither retried nor failed over', async () => {
  const { run, calls } = setup({ nim: [{ ok: false, status: 502, retryable: false }], moonshot: [ok('m')] });
  const { promise, drive } = run(['nim', 'moonshot']);
  await drive();
  await assert.rejects(promise, (e: unknown) => e instanceof UpstreamFailedError && e.reason === 'client_received_bytes');
  assert.equal(calls.length, 1);
});

test('aborting during the backoff stops at once and holds no permit', async () => {
  const { run, calls, limiter, clock } = setup({ nim: [fail(503), ok('never')] }, { baseDelayMs: 10_000 });
  const controller = new AbortController();
  const { promise } = run(['nim'], { signal: controller.signal });
  promise.catch(() => undefined);
  await clock.advance(1000); // inside the 5 s backoff
  controller.abort();
  await assert.rejects(promise, { name: 'AbortError' });
  await clock.advance(60_000);
  assert.equal(calls.length, 1);
  assert.equal(limiter.stats('nim').inFlight, 0);
  assert.equal(clock.pendingTimers, 0, 'the backoff timer was cancelled');
});

test('a thrown attempt error is classified like a reported one', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({}, { clock });
  let n = 0;
  let settled = false;
  const promise = callWithRetries({
    backends: ['nim'],
    limiter,
    policy: new RetryPolicy({ random: () => 0 }),
    clock,
    attempt: async () => {
      n++;
      if (n === 1) throw new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
      return { ok: true, value: n };
    },
  });
  promise.finally(() => (settled = true)).catch(() => undefined);
  await clock.runUntil(() => settled);
  const result = await promise;
  assert.equal(result.value, 2);
  assert.equal(result.retries, 1);
  result.permit.release();
});
