// The young generation (new space) of a proxy, sized by load. V8 starts it at 1 MB and grows it
// up to 2 x 16 MB as scavenges see survivors, and keeps it: most of the idle RSS a long-running
// proxy gains, and start-up alone grew it to 8 MB. Kept at 1 MB under sustained load, though,
// the garbage of many concurrent large requests survives into the old generation and latency
// drifts (`npm run bench`, soak). So:
// - at start and while calm it does not grow (growth factor 1);
// - from the first load on (scavenges at BUSY_SCAVENGES_PER_SECOND or more) it grows as V8
//   sees fit, up to the cap;
// - at the cap, growth stops for good.
// `--semi-space-growth-factor` is read by V8 at each grow, so unlike `--max-semi-space-size`
// it can be set while running. A gc observer does the watching: no timer wakes an idle process.
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { v8Major } from './v8-version.mjs';

/** New-space capacity (both semi-spaces) at which growth stops. */
export const YOUNG_GENERATION_CAP_BYTES = 8 * 1024 * 1024;
/** Scavenges within one second that mean load (about 10 MB/s of short-lived allocation at 1 MB). */
export const BUSY_SCAVENGES_PER_SECOND = 10;

const GROW = '--semi-space-growth-factor=2'; // V8's default (`node --v8-options`)
const HOLD = '--semi-space-growth-factor=1';
/** The growth flag as the process started (undefined: never set here) and as it is now. */
let startupFlag;
let currentFlag;

function setGrowth(flag) {
  if (flag === currentFlag) return;
  currentFlag = flag;
  setFlagsFromString(flag);
}

/** Lets new space grow (as under load) or holds it; the observer below decides in a running proxy. */
export function allowYoungGenerationGrowth(allow) {
  setGrowth(allow ? GROW : HOLD);
}

function newSpaceBytes() {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/** Call first thing, before the program is loaded (its code cache is made under these flags). */
export function capYoungGeneration(capBytes = YOUNG_GENERATION_CAP_BYTES) {
  setGrowth(HOLD);
  startupFlag = HOLD;
  if (newSpaceBytes() >= capBytes) return;
  const scavenges = [];
  const observer = new PerformanceObserver((list) => {
    if (newSpaceBytes() >= capBytes) {
      setGrowth(HOLD);
      observer.disconnect();
      return;
    }
    // Once load was seen, growth goes on to the cap: a grown space scavenges less often, so the
    // rate that let it grow would soon read as calm and hold it half-way (the old generation
    // then took the promoted garbage: 160+ MB committed in the soak).
    if (currentFlag === GROW) return;
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges.push(entry.startTime);
    }
    const since = performance.now() - 1000;
    while (scavenges.length > 0 && scavenges[0] < since) scavenges.shift();
    if (scavenges.length >= BUSY_SCAVENGES_PER_SECOND) setGrowth(GROW);
  });
  observer.observe({ entryTypes: ['gc'] });
}

/**
 * Runs `fn` with the growth flag as it was when the program was loaded. A code cache carries
 * a hash of the V8 flags it was made under and is rejected by a process whose flags differ:
 * one made after the flag changed was rejected by every next start (scripts/load-bundle.mjs).
 */
export function withStartupFlags(fn) {
  if (startupFlag === undefined || currentFlag === startupFlag) return fn();
  const now = currentFlag;
  setGrowth(startupFlag);
  try {
    return fn();
  } finally {
    setGrowth(now);
  }
}

/**
 * Scavenges done by the main thread alone, once start-up is over. V8 shares a scavenge out to
 * its worker threads and waits for them; in a proxy there is too little to share: new space is
 * at most the cap above, and what survives is the requests in flight (about 300 KB with a 45 KB
 * Claude Code request in flight). Handing that out and waiting for the workers costs more than
 * it saves, and more so on a busy machine, where a worker waits for a core. Measured with 45 KB
 * requests in a row at steady state on two cores (docs/adr/0015-scavenges-on-the-main-thread.md): pause
 * p50 0.6 -> 0.5 ms, p90 1.1 -> 0.6 ms, p99 3.2 -> 1.5 ms. Set after the bundle's code cache
 * was written, as the early-optimization flags are (a cache carries a hash of the flags it was
 * made under). Only on V8 11 (Node 20), where it was measured; says whether it changed anything.
 */
export function scavengeOnMainThread(v8Version = process.versions.v8) {
  if (v8Major(v8Version) !== 11) return false;
  setFlagsFromString('--no-parallel-scavenge');
  return true;
}
