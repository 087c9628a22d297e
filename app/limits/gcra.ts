/**
 * The two numbers of GCRA pacing (a token bucket kept as one timestamp, in backend-limiter.ts):
 * the emission interval of a rate, and the burst it allows after a quiet spell. The burst is a
 * tenth of a minute's budget, between 1 and 3 requests, and it is an advance on the following
 * intervals, not extra starts: a quiet agent's first few requests go at once, and in any window
 * an upstream counts over (10 per 10 s) it sees no more than the configured rate plus one.
 */
export const MAX_BURST = 3;

/** Milliseconds between starts at `rpm` requests per minute. */
export function intervalMs(rpm: number): number {
  return 60_000 / rpm;
}

/** Starts allowed back to back after a quiet spell at `rpm`. */
export function burstFor(rpm: number): number {
  return Math.min(MAX_BURST, Math.max(1, Math.floor(rpm / 10)));
}
