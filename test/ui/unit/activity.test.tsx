/** The Overview chart's buckets, derived from request rows. */
import { describe, expect, it } from 'vitest';
import { activityOf, BUCKET_MS } from '../../../renderer/src/store/activity';
import { row } from './fixtures';

describe('activityOf', () => {
  it('counts requests and 429s per 10-second bucket over the last 10 minutes', () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 5);
    const at = (msAgo: number, status = 200) => row({ time: new Date(now - msAgo).toISOString(), status });
    const rows = [at(11 * 60_000), at(9 * 60_000 + 50_000), at(25_000, 429), at(21_000), at(3_000), at(1_000, 429)];
    const a = activityOf(rows, now);
    expect(a.times).toHaveLength(60);
    expect(a.times.at(-1)! * 1000).toBe(Math.floor(now / BUCKET_MS) * BUCKET_MS);
    expect(a.requests.reduce((x, y) => x + y, 0)).toBe(5); // the 11-minute-old one is out
    expect(a.requests.at(-1)).toBe(2);
    expect(a.rateLimited.at(-1)).toBe(1);
    expect(a.requests.at(-3)).toBe(2);
    expect(a.rateLimited.at(-3)).toBe(1);
  });
});
