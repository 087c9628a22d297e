// The whole pacing loop (limiter + callWithRetries) against an upstream with a hidden limit,
// on the manual clock: the issue-6 scenarios at full scale (10 per 10 s), without waiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendLimiter } from '../../../app/limits/backend-limiter';
import { ManualClock } from '../../../app/limits/manual-clock';
import { RetryPolicy } from '../../../app/limits/retry-policy';
import { callWithRetries } from '../../../app/limits/retrying-call';
import { RateWindow } from '../../fakes/rate-window';

interface Outcome {
  clientFailures: number;
  served: number;
  /** Times (ms from the start) of the upstream's refusals. */
  refusals: number[];
  /** Times of the upstream's acceptances. */
  accepted: number[];
  totalMs: number;
  learnedRpm: number | undefined;
}

/** `n` concurrent requests through a backend at `rpm` to an upstream allowing `limit` per `windowMs` (sliding). */
async function burst(rpm: number | undefined, n = 30, limit = 10, windowMs = 10_000): Promise<Outcome> {
  const clock = new ManualClock();
  const t0 = clock.now();
  const limiter = new BackendLimiter({ nim: rpm === undefined ? {} : { rpm } }, { clock });
  const policy = new RetryPolicy({ random: () => 0.5 });
  const upstream = new RateWindow(limit, windowMs);
  const out: Outcome = { clientFailures: 0, served: 0, refusals: [], accepted: [], totalMs: 0, learnedRpm: undefined };
  let settled = 0;
  for (let i = 0; i < n; i++) {
    callWithRetries({
      backends: ['nim'],
      limiter,
      policy,
      clock,
      maxQueueWaitMs: 120_000,
      attempt: async () => {
        const at = clock.now() - t0;
        if (upstream.take(clock.now()).ok) {
          out.accepted.push(at);
          return { ok: true, value: at };
        }
        out.refusals.push(at);
        return { ok: false, status: 429, headers: { 'content-type': 'application/problem+json' } };
      },
    }).then(
      (r) => {
        out.served++;
        r.permit.release();
      },
      () => out.clientFailures++,
    ).finally(() => settled++);
  }
  await clock.runUntil(() => settled === n);
  out.totalMs = clock.now() - t0;
  out.learnedRpm = limiter.stats('nim').learnedRpm;
  return out;
}

test('rpm 55 against 10 per 10 s: every request served, at most 3 refusals, about half a minute', async () => {
  const o = await burst(55);
  assert.equal(o.clientFailures, 0);
  assert.equal(o.served, 30);
  assert.ok(o.refusals.length <= 3, `refusals at ${o.refusals.join(', ')}`);
  assert.ok(o.totalMs < 45_000, `took ${o.totalMs} ms`);
});

test('rpm 600 misconfigured against 10 per 10 s: every request served and the refusals stop after the first few', async () => {
  const o = await burst(600);
  assert.equal(o.clientFailures, 0);
  assert.equal(o.served, 30);
  assert.ok(o.refusals.length <= 8, `refusals at ${o.refusals.join(', ')}`);
  const lastRefusal = Math.max(...o.refusals);
  const acceptedAfter = o.accepted.filter((t) => t > lastRefusal).length;
  assert.ok(acceptedAfter >= 15, `converged: ${acceptedAfter} accepted after the last refusal at ${lastRefusal} ms`);
  assert.ok(o.totalMs < 90_000, `took ${o.totalMs} ms`);
  assert.ok(o.learnedRpm !== undefined && o.learnedRpm < 70, `learned ${o.learnedRpm} rpm`);
});

test('no rpm configured: the first 429s make the backend paced; after the burst only a few probing refusals', async () => {
  const o = await burst(undefined);
  assert.equal(o.clientFailures, 0);
  assert.equal(o.served, 30);
  // The 20 sent at once beyond the hidden 10 are refused together (nothing paced them yet);
  // after that the learned rate keeps refusals rare (AIMD keeps probing upward: no ceiling).
  const afterBurst = o.refusals.filter((t) => t > 0);
  assert.ok(afterBurst.length <= 5, `refusals at ${o.refusals.join(', ')}`);
  assert.ok(o.learnedRpm !== undefined && o.learnedRpm < 90, `paced at a learned rate: ${o.learnedRpm}`);
});
