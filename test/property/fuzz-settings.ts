/**
 * How many cases each property runs, with which seed, and where the figures go.
 *
 * `npm test` runs a fixed seed and the small counts written beside each property, so the suite is
 * repeatable and bounded. `npm run fuzz` (scripts/fuzz.mjs) sets PATCHBAY_FUZZ_RUNS (a multiplier
 * of those counts) and PATCHBAY_FUZZ_SEED (random unless given), and reads the figures each
 * property appends to PATCHBAY_FUZZ_REPORT (one JSON line per property).
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';

/** The seed of `npm test`: a failure there replays exactly. */
export const FIXED_SEED = 0x5eed_0b11;

const scale = Number(process.env.PATCHBAY_FUZZ_RUNS ?? '') || 0;
const seedEnv = process.env.PATCHBAY_FUZZ_SEED;
/** The seed every property of this run uses. */
export const seed = seedEnv !== undefined && seedEnv !== '' && Number.isInteger(Number(seedEnv)) ? Number(seedEnv) : FIXED_SEED;

/**
 * Cases for a property whose `npm test` count is `base`. Costly properties (a real socket per case)
 * grow by a quarter of the multiplier, so a fuzz run of one file stays within the test runner's
 * 10-minute limit per file.
 */
export function runsFor(base: number, costly = false): number {
  if (scale <= 0) return base;
  return Math.max(1, Math.round(base * (costly ? Math.max(1, scale / 4) : scale)));
}

export interface PropertyFigures {
  name: string;
  runs: number;
  seed: number;
  failed: boolean;
  /** fast-check's replay path of the shrunk counterexample. */
  path?: string;
  counterexample?: string;
  /** Counts the property itself keeps (5xx seen, hangs, refusals, ...). */
  counts?: Record<string, number>;
  ms: number;
}

function report(figures: PropertyFigures): void {
  const file = process.env.PATCHBAY_FUZZ_REPORT;
  if (file) appendFileSync(file, JSON.stringify(figures) + '\n');
}

function replayHint<Ts>(name: string, details: fc.RunDetails<Ts>): string {
  return `replay "${name}": PATCHBAY_FUZZ_SEED=${details.seed} (fast-check path "${details.counterexamplePath ?? ''}")`;
}

/**
 * Runs one property with the suite's seed and count, reports its figures, and fails with
 * fast-check's report (counterexample, seed, path) when a case fails.
 */
export async function checkProperty<Ts>(
  name: string,
  property: fc.IRawProperty<Ts>,
  baseRuns: number,
  counts?: Record<string, number>,
  options: { costly?: boolean } = {},
): Promise<void> {
  const started = Date.now();
  const details = await fc.check(property, { seed, numRuns: runsFor(baseRuns, options.costly), endOnFailure: false });
  const figures: PropertyFigures = {
    name,
    runs: details.numRuns,
    seed: details.seed,
    failed: details.failed,
    ms: Date.now() - started,
    ...(counts ? { counts: { ...counts } } : {}),
    ...(details.failed ? { path: details.counterexamplePath ?? '', counterexample: fc.stringify(details.counterexample).slice(0, 2000) } : {}),
  };
  report(figures);
  if (details.failed) throw new Error(`${fc.defaultReportMessage(details) ?? 'property failed'}\n${replayHint(name, details)}`);
}
