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
      rateLimitedLastMinute: 1,
      retries: 1,
      overflows: 0,
      errors: 2,
      keyRejected: null,
      consecutiveFailures: 2,
      failovers: 0,
      failedOverTo: null,
      lastOverflowTo: null,
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

test('what needs a person: a refused key until a success, failures in a row, 429s in the last minute, failovers and overflows', () => {
  let t = Date.parse('2026-05-01T12:00:00Z');
  const stats = new LiveStats({ now: () => t, backends: [{ id: 'nim', rpm: 40 }, { id: 'moonshot' }] });
  const nim = () => backend(stats.snapshot(), 'nim');

  stats.attemptStarted('nim');
  stats.attemptEnded('nim', { status: 401 });
  assert.deepEqual(nim().keyRejected, { status: 401, at: '2026-05-01T12:00:00.000Z' });
  t += 1_000;
  stats.attemptEnded('nim', { status: 500, failed: true }); // not a success: the key stays refused
  stats.attemptEnded('nim', { status: 400 }); // nor is a 4xx about the request
  assert.equal(nim().keyRejected?.status, 401);
  stats.attemptEnded('nim', { status: 200, failed: true }); // accepted but the stream broke
  assert.equal(nim().keyRejected?.status, 401);
  stats.attemptEnded('nim', { status: 403 });
  assert.deepEqual(nim().keyRejected, { status: 403, at: '2026-05-01T12:00:01.000Z' });
  stats.attemptEnded('nim', { status: 200 });
  assert.equal(nim().keyRejected, null, 'an accepted answer clears it');
  stats.attemptEnded('nim', { status: 401 });
  stats.keyChanged('nim');
  assert.equal(nim().keyRejected, null, 'a new key has not been refused yet');
  stats.keyChanged('ghost'); // unknown backends are not created by it
  assert.equal(stats.snapshot().backends.some((b) => b.backend === 'ghost'), false);

  // Failures in a row: 5xx, no answer, a broken stream; a 429 neither counts nor resets; a 4xx or 2xx resets.
  stats.attemptEnded('nim', { status: 503 });
  stats.attemptEnded('nim', { failed: true });
  stats.attemptEnded('nim', { status: 429 });
  stats.attemptEnded('nim', { status: 200, failed: true });
  assert.equal(nim().consecutiveFailures, 3);
  stats.attemptEnded('nim', {}); // an attempt closed without any outcome says nothing
  assert.equal(nim().consecutiveFailures, 3);
  stats.attemptEnded('nim', { failed: true, clientGone: true }); // the client hung up: not the upstream's doing
  assert.equal(nim().consecutiveFailures, 3);
  stats.attemptEnded('nim', { status: 200, clientGone: true }); // nor is a success cut short by the client
  assert.equal(nim().consecutiveFailures, 3);
  stats.attemptEnded('nim', { status: 404 });
  assert.equal(nim().consecutiveFailures, 0);
  stats.attemptEnded('nim', { status: 502 });
  stats.attemptEnded('nim', { status: 200 });
  assert.equal(nim().consecutiveFailures, 0);

  // 429s: the total since start and the last minute's.
  t += 30_000;
  stats.attemptEnded('nim', { status: 429 });
  stats.attemptEnded('nim', { status: 429 });
  assert.equal(nim().rateLimitedLastMinute, 3);
  t += 31_000; // the first 429 (at 12:00:01) is over a minute old
  assert.equal(nim().rateLimitedLastMinute, 2);
  assert.equal(nim().rateLimited, 3);
  t += 60_000;
  assert.equal(nim().rateLimitedLastMinute, 0);

  // Failover: counted on the backend that could not serve, with where it went, until it serves again.
  stats.failedOver('nim', 'moonshot');
  stats.failedOver('nim', 'moonshot');
  assert.equal(nim().failovers, 2);
  assert.equal(nim().failedOverTo, 'moonshot');
  assert.equal(backend(stats.snapshot(), 'moonshot').failovers, 0);
  stats.attemptEnded('nim', { status: 503 });
  assert.equal(nim().failedOverTo, 'moonshot');
  stats.attemptEnded('nim', { status: 200 });
  assert.equal(nim().failedOverTo, null);
  assert.equal(nim().failovers, 2, 'the total stays');

  stats.overflowed('nim', 'moonshot');
  assert.equal(nim().overflows, 1);
  assert.equal(nim().lastOverflowTo, 'moonshot');
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
