// V8 grows its young generation (new space) up to 2 x 16 MB under traffic and keeps it: most of
// the idle RSS a long-running proxy gains. Kept at its initial 2 x 1 MB (growth factor 1) it is
// small, but then the garbage of many concurrent large requests survives into the old
// generation and latency drifts under sustained load (`npm run bench`, soak). So growth is
// allowed up to a cap, then turned off: `--semi-space-growth-factor` is read by V8 at each
// grow, so unlike `--max-semi-space-size` it can be set while running.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

// V8's default growth factor (`node --v8-options`), and the one that stops growth.
const DEFAULT = '--semi-space-growth-factor=2';
const STOPPED = '--semi-space-growth-factor=1';
let capped = false;

/** New-space capacity (both semi-spaces) at which growth stops. */
export const YOUNG_GENERATION_CAP_BYTES = 8 * 1024 * 1024;

function newSpaceBytes() {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * Let the young generation grow to about `capBytes`, then stop its growth. It grows only in a
 * garbage collection, so it is looked at after each one (no timer waking an idle process).
 */
export function capYoungGeneration(capBytes = YOUNG_GENERATION_CAP_BYTES) {
  const stopGrowth = () => {
    capped = true;
    setFlagsFromString(STOPPED);
  };
  if (newSpaceBytes() >= capBytes) return stopGrowth();
  const observer = new PerformanceObserver(() => {
    if (newSpaceBytes() < capBytes) return;
    stopGrowth();
    observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}

/**
 * Runs `fn` with V8's flags as they were at start. A code cache carries a hash of the V8 flags
 * it was made under and is rejected by a process whose flags differ: one made after the cap
 * stopped growth was rejected by every next start, which is made before it (scripts/load-bundle.mjs).
 * Setting the default value back restores the start-up hash.
 */
export function withStartupFlags(fn) {
  if (!capped) return fn();
  setFlagsFromString(DEFAULT);
  try {
    return fn();
  } finally {
    setFlagsFromString(STOPPED);
  }
}
