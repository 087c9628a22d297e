import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendLimiter, QueueTimeoutError, type Permit } from '../../../app/limits/backend-limiter';
import { ManualClock } from '../../../app/limits/manual-clock';

/** Asserts that consecutive starts are at least `gapMs` apart. */
function assertSpaced(starts: number[], gapMs: number): void {
  for (let i = 1; i < starts.length; i++) {
    const gap = (starts[i] as number) - (starts[i - 1] as number);
    assert.ok(gap >= gapMs, `starts ${i - 1} and ${i} are only ${gap} ms apart`);
  }
}

test('a 3x-over-limit burst is spread evenly: a burst of 3 taken as an advance, then one start per 60000/rpm ms, FIFO, all complete', async () => {
  const clock = new ManualClock();
  const t0 = clock.now();
  const rpm = 30; // interval 2 s, burst 3
  const limiter = new BackendLimiter({ nim: { rpm } }, { clock, defaultMaxWaitMs: 10 * 60_000 });
  const granted: Array<{ n: number; at: number }> = [];
  const positions: number[] = [];
  for (let n = 0; n < 12; n++) {
    void limiter
      .acquire('nim', { onQueued: (p) => positions.push(p) })
      .then((permit) => {
        granted.push({ n, at: clock.now() });
        permit.release();
      });
  }
  await clock.runUntil(() => granted.length === 12);
  // In any 10 s, at most 10 s / interval + 1 starts: an upstream counting over a short window
  // sees the configured rate, burst included.
  for (const g of granted) assert.ok(granted.filter((o) => o.at >= g.at && o.at < g.at + 10_000).length <= 6);

  assert.deepEqual(granted.map((g) => g.n), [...Array(12).keys()], 'granted in request order');
  assert.deepEqual(positions, [...Array(9).keys()].map((i) => i + 1), 'the 9 after the burst queued at 1..9');
  assert.deepEqual(
    granted.map((g) => g.at - t0),
    [0, 0, 0, 6000, 8000, 10_000, 12_000, 14_000, 16_000, 18_000, 20_000, 22_000],
    'flows at the allowed rate, never a minute of budget at once; the burst is not on top of the rate',
  );
  assert.equal(clock.pendingTimers, 0, 'no timer left behind');
  assert.deepEqual(limiter.stats('nim'), {
    inFlight: 0,
    queued: 0,
    startsLastMinute: 12,
    rpm,
    learnedRpm: undefined,
    maxConcurrency: undefined,
    pausedUntil: undefined,
  });
});

test('after a quiet spell the burst is available again, but no more than it', async () => {
  const clock = new ManualClock();
  const t0 = clock.now();
  const limiter = new BackendLimiter({ nim: { rpm: 60 } }, { clock, defaultMaxWaitMs: 10 * 60_000 });
  const starts: number[] = [];
  const take = (n: number) => {
    for (let i = 0; i < n; i++) void limiter.acquire('nim').then((p) => (starts.push(clock.now() - t0), p.release()));
  };
  take(4);
  await clock.runUntil(() => starts.length === 4);
  await clock.advance(60_000 - clock.now() + t0);
  take(4);
  await clock.runUntil(() => starts.length === 8);
  assert.deepEqual(starts, [0, 0, 0, 3000, 60_000, 60_000, 60_000, 63_000]);
});

test('pacing and the concurrency cap hold together when requests take time', async () => {
  const clock = new ManualClock();
  const rpm = 4;
  const cap = 2;
  const limiter = new BackendLimiter({ nim: { rpm, maxConcurrency: cap } }, { clock, defaultMaxWaitMs: 10 * 60_000 });
  const starts: number[] = [];
  const order: number[] = [];
  let maxInFlight = 0;
  for (let n = 0; n < 10; n++) {
    void limiter.acquire('nim').then((permit) => {
      starts.push(clock.now());
      order.push(n);
      maxInFlight = Math.max(maxInFlight, limiter.stats('nim').inFlight);
      clock.setTimeout(() => permit.release(), 25_000); // each exchange lasts 25 s
    });
  }
  await clock.runUntil(() => starts.length === 10 && limiter.stats('nim').inFlight === 0);
  assert.equal(starts.length, 10);
  assert.deepEqual(order, [...Array(10).keys()]);
  assert.equal(maxInFlight, cap);
  assertSpaced(starts, 15_000);
});

test('concurrency cap: extra requests queue FIFO and start as permits are released', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({ b: { maxConcurrency: 2 } }, { clock });
  const first = await limiter.acquire('b');
  const second = await limiter.acquire('b');
  const positions: number[] = [];
  const got: string[] = [];
  const third = limiter.acquire('b', { onQueued: (p) => positions.push(p) }).then((p) => (got.push('third'), p));
  const fourth = limiter.acquire('b', { onQueued: (p) => positions.push(p) }).then((p) => (got.push('fourth'), p));
  await clock.advance(1000);
  assert.deepEqual(got, []);
  assert.deepEqual(positions, [1, 2]);
  assert.equal(limiter.stats('b').inFlight, 2);
  assert.equal(limiter.stats('b').queued, 2);

  first.release();
  first.release(); // idempotent: must not free a second slot
  await clock.advance(0);
  assert.deepEqual(got, ['third']);
  assert.equal(limiter.stats('b').inFlight, 2);
  assert.equal(limiter.stats('b').queued, 1);

  second.release();
  const [p3, p4] = await Promise.all([third, fourth]);
  assert.deepEqual(got, ['third', 'fourth']);
  assert.equal(p3.queuedMs, 1000);
  assert.equal(p4.queuedMs, 1000);
  p3.release();
  p4.release();
  assert.equal(limiter.stats('b').inFlight, 0);
});

test('queue timeout is decided up-front when the rate makes the wait predictable', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({ nim: { rpm: 2 } }, { clock }); // one start per 30 s, no burst
  const held: Permit = await limiter.acquire('nim');
  await clock.advance(15_000);
  const queued: number[] = [];
  await assert.rejects(
    limiter.acquire('nim', { maxWaitMs: 10_000, onQueued: (p) => queued.push(p) }),
    (error: unknown) => {
      assert.ok(error instanceof QueueTimeoutError);
      assert.equal(error.backendId, 'nim');
      assert.equal(error.retryAfterSeconds, 15, 'the next start is due 30 s after the first');
      assert.equal(error.waitedMs, 0);
      return true;
    },
  );
  assert.deepEqual(queued, [], 'never queued');
  assert.equal(limiter.stats('nim').queued, 0);
  assert.equal(limiter.estimateWaitMs('nim'), 15_000);
  // Within the allowed wait it queues instead.
  const ok = limiter.acquire('nim', { maxWaitMs: 15_000 });
  await clock.advance(15_000);
  (await ok).release();
  held.release();
});

test('queue timeout fires at maxWaitMs when the wait is not predictable (concurrency)', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({ b: { maxConcurrency: 1 } }, { clock });
  const holder = await limiter.acquire('b');
  let settled = false;
  const waiting = limiter.acquire('b', { maxWaitMs: 5000 });
  waiting.catch(() => undefined).finally(() => (settled = true));
  await clock.advance(4999);
  assert.equal(settled, false);
  await clock.advance(1);
  await assert.rejects(waiting, (error: unknown) => {
    assert.ok(error instanceof QueueTimeoutError);
    assert.equal(error.waitedMs, 5000);
    assert.ok(error.retryAfterSeconds >= 1);
    return true;
  });
  assert.equal(limiter.stats('b').queued, 0);
  holder.release();
  assert.equal(clock.pendingTimers, 0);
});

test('abort while queued rejects, frees the place, and the queue moves on', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({ b: { maxConcurrency: 1 } }, { clock });
  const holder = await limiter.acquire('b');
  const controller = new AbortController();
  const aborted = limiter.acquire('b', { signal: controller.signal });
  const after = limiter.acquire('b');
  assert.equal(limiter.stats('b').queued, 2);
  controller.abort();
  await assert.rejects(aborted, { name: 'AbortError' });
  assert.equal(limiter.stats('b').queued, 1);
  holder.release();
  const permit = await after;
  assert.equal(permit.backendId, 'b');
  assert.equal(limiter.stats('b').inFlight, 1);
  permit.release();
  assert.equal(clock.pendingTimers, 0, 'the aborted waiter left no deadline timer');
});

test('an already aborted signal is refused without taking a slot', async () => {
  const limiter = new BackendLimiter({ b: { rpm: 1 } }, { clock: new ManualClock() });
  const controller = new AbortController();
  controller.abort(new Error('client went away'));
  await assert.rejects(limiter.acquire('b', { signal: controller.signal }), /client went away/);
  assert.equal(limiter.stats('b').startsLastMinute, 0);
});

test('penalize pauses the backend until the given time', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({}, { clock });
  limiter.penalize('moonshot', clock.now() + 30_000);
  assert.equal(limiter.stats('moonshot').pausedUntil, clock.now() + 30_000);
  let granted = false;
  const pending = limiter.acquire('moonshot').then((p) => ((granted = true), p));
  await clock.advance(29_999);
  assert.equal(granted, false);
  await clock.advance(1);
  assert.equal(granted, true);
  (await pending).release();
  assert.equal(limiter.stats('moonshot').pausedUntil, undefined);
});

test('penalize refuses queued requests that can no longer start before their deadline', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({ b: { maxConcurrency: 1 } }, { clock });
  const holder = await limiter.acquire('b');
  const short = limiter.acquire('b', { maxWaitMs: 10_000 });
  const long = limiter.acquire('b', { maxWaitMs: 120_000 });
  limiter.penalize('b', clock.now() + 60_000);
  await assert.rejects(short, (e: unknown) => e instanceof QueueTimeoutError && e.retryAfterSeconds === 60);
  assert.equal(limiter.stats('b').queued, 1);
  holder.release();
  await clock.advance(60_000);
  (await long).release();
});

test('an unconfigured backend is unlimited and configure() applies new limits', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({}, { clock });
  const permits = await Promise.all([...Array(50)].map(() => limiter.acquire('x')));
  assert.equal(limiter.stats('x').inFlight, 50);
  permits.forEach((p) => p.release());
  limiter.configure('x', { rpm: 60 });
  (await Promise.all([limiter.acquire('x'), limiter.acquire('x'), limiter.acquire('x')])).forEach((p) => p.release());
  assert.equal(limiter.estimateWaitMs('x'), 1000, 'after the burst of 3, one start a second');
});
