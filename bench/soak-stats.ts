/**
 * Pure arithmetic for the soak (bench/soak.ts): the slope of RSS over time, and which latency
 * samples fall in the first and the last window of a run. Kept apart so it is unit-tested.
 */
import { summarize, type Summary } from './measure';

export interface TimedValue {
  /** Milliseconds since the start of the measured run. */
  tMs: number;
  value: number;
}

/**
 * Least-squares slope of `value` over time, in value units per minute (RSS bytes in -> bytes
 * per minute out). NaN with fewer than two samples or when every sample has the same time.
 */
export function slopePerMinute(samples: readonly TimedValue[]): number {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  let sumT = 0;
  let sumV = 0;
  for (const s of samples) {
    sumT += s.tMs;
    sumV += s.value;
  }
  const meanT = sumT / n;
  const meanV = sumV / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.tMs - meanT) * (s.value - meanV);
    den += (s.tMs - meanT) ** 2;
  }
  return den === 0 ? Number.NaN : (num / den) * 60_000;
}

/**
 * The length of the first and last windows compared: a minute, or a third of a shorter run (so
 * the two windows never overlap).
 */
export function comparisonWindowMs(durationMs: number): number {
  return Math.min(60_000, durationMs / 3);
}

/** Summary of the values whose time lies in [fromMs, toMs). */
export function summarizeWindow(samples: readonly TimedValue[], fromMs: number, toMs: number): Summary {
  return summarize(samples.filter((s) => s.tMs >= fromMs && s.tMs < toMs).map((s) => s.value));
}

/** `after` relative to `before` (0.05 = 5% more); NaN when `before` is not positive. */
export function relativeChange(before: number, after: number): number {
  return before > 0 ? (after - before) / before : Number.NaN;
}
