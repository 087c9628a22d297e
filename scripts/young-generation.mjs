// V8 grows its young generation (new space) up to 2 x 16 MB under traffic and keeps it: most of
// the idle RSS a long-running proxy gains. Kept at its initial 2 x 1 MB (growth factor 1) it is
// small, but then the garbage of many concurrent large requests survives into the old
// generation and latency drifts under sustained load (`npm run bench`, soak). So growth is
// allowed up to a cap, then turned off: `--semi-space-growth-factor` is read by V8 at each
// grow, so unlike `--max-semi-space-size` it can be set while running.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

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
  const stopGrowth = () => setFlagsFromString('--semi-space-growth-factor=1');
  if (newSpaceBytes() >= capBytes) return stopGrowth();
  const observer = new PerformanceObserver(() => {
    if (newSpaceBytes() < capBytes) return;
    stopGrowth();
    observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}
