// The limiter's learned rate and its queue head: upstreamRefused / upstreamAccepted, `front`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendLimiter, type BackendRates, type Permit } from '../../../app/limits/backend-limiter';
import { ManualClock } from '../../../app/limits/manual-clock';
import { RetryPolicy } from '../../../app/limits/retry-policy';
import { callWithRetries } from '../../../app/limits/retrying-call';

test('an upstream 429 halves the rate, once per round, and the next start waits at least one new interval', async () => {
  const clock = new ManualClock();
  const t0 = clock.now();
  const limiter = new BackendLimiter({ nim: { rpm: 60 } }, { clock, defaultMaxWaitMs: 600_000 });
  const changes: Array<[string, BackendRates]> = [];
  limiter.onRateChange((id, rates) => changes.push([id, rates]));
  const burst = await Promise.all([limiter.acquire('nim'), limiter.acquire('nim'), limiter.acquire('nim')]);
  await clock.advance(2800);
  for (const p of burst) {
    p.release();
    limiter.upstreamRefused(p); // three 429s for requests sent in the same round
  }
  assert.deepEqual(limiter.rates('nim'), { rpm: 60, learnedRpm: 30 }, 'cut once, not three times');
  assert.deepEqual(changes, [['nim', { rpm: 60, learnedRpm: 30 }]]);
  assert.equal(limiter.stats('nim').learnedRpm, 30);
  const next = await new Promise<Permit>((resolve) => {
    void limiter.acquire('nim').then(resolve);
    void clock.runUntil(() => false, 5);
  });
  // No burst after a cut (the burst's credit is gone): one 30-rpm interval after the 429.
  assert.equal(next.startedAt - t0, 2800 + 2000);
  next.release();
  limiter.upstreamRefused(next); // sent after the cut: a new round
  assert.equal(limiter.rates('nim').learnedRpm, 15);
});

test('accepted requests raise the learned rate slowly back to the configured one', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({ nim: { rpm: 40 } }, { clock, defaultMaxWaitMs: 3_600_000 });
  const first = await limiter.acquire('nim');
  first.release();
  limiter.upstreamRefused(first);
  assert.equal(limiter.rates('nim').learnedRpm, 20);
  const seen: number[] = [];
  limiter.onRateChange((_id, r) => seen.push(r.learnedRpm ?? 40));
  for (let i = 0; i < 60 && limiter.rates('nim').learnedRpm !== undefined; i++) {
    const p = limiter.acquire('nim');
    await clock.runUntil(() => limiter.stats('nim').inFlight === 1);
    const permit = await p;
    permit.release();
    limiter.upstreamAccepted(permit);
  }
  assert.equal(limiter.rates('nim').learnedRpm, undefined, 'back at the configured rate');
  assert.ok(seen.length >= 20, `rose in ${seen.length} small steps`);
  for (let i = 1; i < seen.length; i++) assert.ok((seen[i] as number) > (seen[i - 1] as number));
});

test('a backend with no rpm starts being paced at its first 429', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({}, { clock });
  const permits = await Promise.all([...Array(12)].map(() => limiter.acquire('free')));
  permits.forEach((p) => p.release());
  assert.equal(limiter.estimateWaitMs('free'), 0);
  limiter.upstreamRefused(permits[11] as Permit);
  // Seen sending 12 in the last 10 s = 72 rpm: paced at 36 rpm from now on.
  assert.equal(limiter.rates('free').learnedRpm, 36);
  assert.equal(limiter.estimateWaitMs('free'), Math.ceil(60_000 / 36));
});

test('front: a refused request re-queues ahead of later arrivals, behind earlier refused ones', async () => {
  const clock = new ManualClock();
  const t0 = clock.now();
  const limiter = new BackendLimiter({ b: { maxConcurrency: 1 } }, { clock });
  const holder = await limiter.acquire('b');
  const order: string[] = [];
  const queue = (name: string, options: Parameters<BackendLimiter['acquire']>[1] = {}) =>
    limiter.acquire('b', options).then((p) => (order.push(name), p.release()));
  const positions: number[] = [];
  const all = [
    queue('late-1'),
    queue('late-2'),
    queue('refused-at-5', { front: true, arrivedAt: t0 - 5, onQueued: (p) => positions.push(p) }),
    queue('refused-at-9', { front: true, arrivedAt: t0 - 9, onQueued: (p) => positions.push(p) }),
  ];
  assert.deepEqual(positions, [1, 1]);
  holder.release();
  await Promise.all(all);
  assert.deepEqual(order, ['refused-at-9', 'refused-at-5', 'late-1', 'late-2']);
});

test('callWithRetries: a bare 429 goes back to the head of the queue, not behind later arrivals on a timer of its own', async () => {
  const clock = new ManualClock();
  const t0 = clock.now();
  const limiter = new BackendLimiter({ nim: { rpm: 60 } }, { clock, defaultMaxWaitMs: 600_000 });
  const policy = new RetryPolicy({ random: () => 0.5 });
  const sent: string[] = [];
  let refusedOnce = false;
  const run = (name: string) =>
    callWithRetries({
      backends: ['nim'],
      limiter,
      policy,
      clock,
      attempt: async () => {
        sent.push(`${name}@${clock.now() - t0}`);
        if (name === 'a' && !refusedOnce) {
          refusedOnce = true;
          return { ok: false, status: 429, headers: { 'content-type': 'application/problem+json' } };
        }
        return { ok: true, value: name };
      },
    }).then((r) => r.permit.release());
  const a = run('a');
  await clock.advance(0);
  const later = ['b', 'c', 'd', 'e'].map(run);
  await clock.runUntil(() => sent.length === 6);
  await Promise.all([a, ...later]);
  // a is refused at 0 (60 -> 30 rpm: 2 s apart, no burst), then goes first; b..e follow it,
  // a little faster each time as the learned rate rises again.
  assert.deepEqual(sent.slice(0, 3), ['a@0', 'a@2000', 'b@4000']);
  assert.deepEqual(sent.map((s) => s.split('@')[0]), ['a', 'a', 'b', 'c', 'd', 'e']);
});

test('observeHeaders: an answer saying no requests remain until a reset pauses the backend until then', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({}, { clock });
  limiter.observeHeaders('nim', { 'x-ratelimit-remaining-requests': '3', 'x-ratelimit-reset-requests': '20s' });
  assert.equal(limiter.stats('nim').pausedUntil, undefined, 'requests remain: no pause');
  limiter.observeHeaders('nim', { 'retry-after': '30' });
  assert.equal(limiter.stats('nim').pausedUntil, undefined, 'retry-after on an accepted answer is not a refusal');
  limiter.observeHeaders('nim', { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6.5s' });
  assert.equal(limiter.stats('nim').pausedUntil, clock.now() + 6500);
  limiter.observeHeaders('moonshot', { 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': new Date(clock.now() + 9000).toISOString() });
  assert.equal(limiter.stats('moonshot').pausedUntil, clock.now() + 9000);
});

test('callWithRetries: a 429 with retry-after counts against maxAttempts; bare 429s get maxRateLimitedAttempts', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({}, { clock });
  const policy = new RetryPolicy({ random: () => 0, maxAttempts: 2, maxRateLimitedAttempts: 4 });
  const runWith = async (headers: Record<string, string>) => {
    let n = 0;
    let settled = false;
    const p = callWithRetries({
      backends: ['nim'],
      limiter,
      policy,
      clock,
      attempt: async () => (n++, { ok: false, status: 429, headers }),
    }).finally(() => (settled = true));
    p.catch(() => undefined);
    await clock.runUntil(() => settled);
    await assert.rejects(p, /status 429/);
    return n;
  };
  assert.equal(await runWith({ 'retry-after': '1' }), 2);
  assert.equal(await runWith({ 'content-type': 'application/problem+json' }), 4);
});

test('a lone request refused by a backend with no rpm is retried after 2 s, then 4 s: a backoff, not one a minute', async () => {
  const clock = new ManualClock();
  const t0 = clock.now();
  const limiter = new BackendLimiter({}, { clock });
  const policy = new RetryPolicy();
  const sent: number[] = [];
  let settled = false;
  const p = callWithRetries({
    backends: ['custom'],
    limiter,
    policy,
    clock,
    attempt: async () => {
      sent.push(clock.now() - t0);
      return sent.length < 3 ? { ok: false, status: 429 } : { ok: true, value: 'ok' };
    },
  }).finally(() => (settled = true));
  await clock.runUntil(() => settled);
  (await p).permit.release();
  assert.deepEqual(sent, [0, 2000, 6000]);
});
