import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackendLimiter } from '../../../app/limits/backend-limiter';
import { ManualClock } from '../../../app/limits/manual-clock';
import { LiveStats } from '../../../app/stats/live-stats';
import type { StatsSnapshot } from '../../../app/stats/live-stats';

function backend(snapshot: StatsSnapshot, id: string) {
  const b = snapshot.backends.find((x) => x.backend === id);
  assert.ok(b, `backend ${id} in snapshot`);
  return b;
}

test('per-backend counters, rolling last-minute window against the rpm limit (injected clock)', () => {
  let t = Date.parse('2026-05-01T12:00:00Z');
  const stats = new LiveStats({ now: () => t, backends: [{ id: 'nim', rpm: 40 }, { id: 'moonshot' }] });
  for (let i = 0; i < 5; i++) stats.attemptStarted('nim');
  stats.attemptEnded('nim', { status: 200, tokens: { input: 100, output: 20, cached: 50 } });
  stats.attemptEnded('nim', { status: 429 });
  stats.retried('nim');
  stats.attemptEnded('nim', { status: 500 });
  stats.attemptEnded('nim', { failed: true });
  stats.queueEntered('nim');
  stats.queueEntered('nim');
  stats.queueLeft('nim');

  let nim = backend(stats.snapshot(), 'nim');
  assert.deepEqual(
    { ...nim, upstreamQuota: null },
    {
      backend: 'nim',
      requestsLastMinute: 5,
      rpmLimit: 40,
      learnedRpm: null,
      inFlight: 1,
      queued: 1,
      requests: 5,
      rateLimited: 1,
      retries: 1,
      overflows: 0,
      errors: 2,
      tokens: { input: 100, output: 20, cached: 50 },
      upstreamQuota: null,
    },
  );
  assert.equal(backend(stats.snapshot(), 'moonshot').rpmLimit, null);

  t += 45_000;
  stats.attemptStarted('nim');
  assert.equal(backend(stats.snapshot(), 'nim').requestsLastMinute, 6);
  t += 16_000; // the first five are over a minute old
  nim = backend(stats.snapshot(), 'nim');
  assert.equal(nim.requestsLastMinute, 1);
  assert.equal(nim.requests, 6, 'totals since start do not decay');
  t += 60_000;
  assert.equal(backend(stats.snapshot(), 'nim').requestsLastMinute, 0);
  stats.close();
});

test('upstream quota from rate-limit headers; unknown backends appear on first use', () => {
  const t = Date.parse('2026-05-01T12:00:00Z');
  const stats = new LiveStats({ now: () => t });
  stats.observeHeaders('moonshot', { 'x-ratelimit-remaining': '9', 'x-ratelimit-limit': '10', 'x-ratelimit-reset': '30' });
  stats.observeHeaders('moonshot', { 'content-type': 'text/plain' }); // states nothing: keeps the last quota
  const q = backend(stats.snapshot(), 'moonshot').upstreamQuota;
  assert.equal(q?.requestsRemaining, 9);
  assert.equal(q?.requestsResetAt, '2026-05-01T12:00:30.000Z');
  stats.close();
});

test('subscribers get coalesced snapshots while things change and nothing when idle', async () => {
  const stats = new LiveStats({ emitIntervalMs: 100 });
  const received: StatsSnapshot[] = [];
  const unsubscribe = stats.subscribe((s) => received.push(s));
  assert.equal(stats.listenerCount, 1);
  for (let i = 0; i < 1000; i++) stats.queueEntered('nim'); // one synchronous burst
  await sleep(50);
  assert.equal(received.length, 1, 'a burst is one emission');
  assert.equal(backend(received[0]!, 'nim').queued, 1000);
  await sleep(250);
  assert.equal(received.length, 1, 'idle: nothing more');
  stats.queueLeft('nim');
  for (let i = 0; i < 100 && received.length < 2; i++) await sleep(10);
  assert.equal(received.length, 2);
  assert.equal(backend(received[1]!, 'nim').queued, 999);
  unsubscribe();
  unsubscribe();
  assert.equal(stats.listenerCount, 0);
  stats.queueLeft('nim');
  await sleep(150);
  assert.equal(received.length, 2, 'no emission after unsubscribe');
  stats.close();
});

test('last-minute counts falling are pushed to subscribers without other changes', async () => {
  let t = 0;
  const stats = new LiveStats({ now: () => t, emitIntervalMs: 10, decayCheckMs: 20 });
  const received: StatsSnapshot[] = [];
  stats.subscribe((s) => received.push(s));
  stats.attemptStarted('nim');
  for (let i = 0; i < 100 && received.length < 1; i++) await sleep(10);
  assert.equal(backend(received[0]!, 'nim').requestsLastMinute, 1);
  t += 61_000;
  for (let i = 0; i < 100 && received.length < 2; i++) await sleep(10);
  assert.equal(backend(received[1]!, 'nim').requestsLastMinute, 0);
  stats.close();
});

test('configured and learned rate per backend: the learned one follows the limiter, pushed to subscribers', async () => {
  const clock = new ManualClock();
  const limiter = new BackendLimiter({ nim: { rpm: 55 } }, { clock });
  const stats = new LiveStats({ emitIntervalMs: 10, backends: [{ id: 'nim', rpm: 55 }, { id: 'free' }] });
  stats.followLimiter(limiter);
  const received: StatsSnapshot[] = [];
  stats.subscribe((s) => received.push(s));
  assert.equal(backend(stats.snapshot(), 'nim').learnedRpm, null, 'not learning yet');

  const permit = await limiter.acquire('nim');
  permit.release();
  limiter.upstreamRefused(permit);
  const unpaced = await limiter.acquire('free');
  unpaced.release();
  limiter.upstreamRefused(unpaced);
  for (let i = 0; i < 100 && !received.some((s) => backend(s, 'free').learnedRpm !== null); i++) await sleep(10);
  const last = received[received.length - 1]!;
  assert.deepEqual([backend(last, 'nim').rpmLimit, backend(last, 'nim').learnedRpm], [55, 27.5]);
  assert.deepEqual([backend(last, 'free').rpmLimit, backend(last, 'free').learnedRpm], [null, 30], 'paced from the rate seen (at least 60 rpm), halved');

  stats.close();
  await clock.advance(5000);
  limiter.upstreamRefused({ ...permit, startedAt: clock.now() }); // a new round: 27.5 -> 13.75
  assert.equal(limiter.rates('nim').learnedRpm, 13.75);
  assert.equal(backend(stats.snapshot(), 'nim').learnedRpm, 27.5, 'no longer followed after close');
});
