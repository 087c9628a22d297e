/**
 * The last minutes of live stats, for the Overview chart: one sample of the running totals
 * (requests sent, 429s) per stats event, kept for `HISTORY_MS`. The chart's per-interval
 * counts are derived from these by `bucketHistory`, not stored.
 */
import type { StatsSnapshot } from '../../../app/api/contract';

export const HISTORY_MS = 10 * 60_000;

export interface StatsSample {
  t: number;
  requests: number;
  rateLimited: number;
}

export function sampleOf(snapshot: StatsSnapshot): StatsSample {
  let requests = 0;
  let rateLimited = 0;
  for (const b of snapshot.backends) {
    requests += b.requests;
    rateLimited += b.rateLimited;
  }
  const t = Date.parse(snapshot.time);
  return { t: Number.isFinite(t) ? t : Date.now(), requests, rateLimited };
}

export function addSample(history: readonly StatsSample[], sample: StatsSample): StatsSample[] {
  const from = sample.t - HISTORY_MS;
  const first = history.findIndex((s) => s.t >= from);
  const kept = first < 0 ? [] : first === 0 ? history.slice() : history.slice(first);
  kept.push(sample);
  return kept;
}

export interface HistoryBuckets {
  /** Bucket start times, seconds (uPlot's x). */
  times: number[];
  requests: number[];
  rateLimited: number[];
}

/** Requests and 429s per `bucketMs` over the last `HISTORY_MS` up to `now` (counter resets count as 0). */
export function bucketHistory(history: readonly StatsSample[], now: number, bucketMs = 10_000): HistoryBuckets {
  const count = Math.round(HISTORY_MS / bucketMs);
  const start = Math.floor(now / bucketMs) * bucketMs - (count - 1) * bucketMs;
  const times: number[] = [];
  const requests = new Array<number>(count).fill(0);
  const rateLimited = new Array<number>(count).fill(0);
  for (let i = 0; i < count; i++) times.push((start + i * bucketMs) / 1000);
  for (let i = 1; i < history.length; i++) {
    const prev = history[i - 1]!;
    const cur = history[i]!;
    const slot = Math.floor((cur.t - start) / bucketMs);
    if (slot < 0 || slot >= count) continue;
    requests[slot]! += Math.max(0, cur.requests - prev.requests);
    rateLimited[slot]! += Math.max(0, cur.rateLimited - prev.rateLimited);
  }
  return { times, requests, rateLimited };
}
