/**
 * The Overview chart's numbers, derived from the request rows (not stored): requests started
 * and requests answered 429 per 10-second bucket over the last 10 minutes, all backends.
 */
import type { RequestSummary } from '../../../app/api/contract';

export const ACTIVITY_MS = 10 * 60_000;
export const BUCKET_MS = 10_000;

export interface Activity {
  /** Bucket start times in seconds (uPlot's x). */
  times: number[];
  requests: number[];
  rateLimited: number[];
}

export function activityOf(rows: readonly RequestSummary[], now: number): Activity {
  const count = ACTIVITY_MS / BUCKET_MS;
  const start = Math.floor(now / BUCKET_MS) * BUCKET_MS - (count - 1) * BUCKET_MS;
  const times = Array.from({ length: count }, (_, i) => (start + i * BUCKET_MS) / 1000);
  const requests = new Array<number>(count).fill(0);
  const rateLimited = new Array<number>(count).fill(0);
  // Rows are oldest first: walk back from the newest until they are older than the window.
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!;
    const t = Date.parse(row.time);
    if (t < start) break;
    const slot = Math.floor((t - start) / BUCKET_MS);
    if (slot >= count) continue;
    requests[slot] = requests[slot]! + 1;
    if (row.status === 429) rateLimited[slot] = rateLimited[slot]! + 1;
  }
  return { times, requests, rateLimited };
}
