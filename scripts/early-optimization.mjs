// Hot code optimized sooner. V8 tiers a function up to optimized code once it has used up an
// interrupt budget (bytecode run) a few times over and, when its inline caches changed lately,
// has been called 500 times since: defaults made for web pages, most of whose code runs a few
// times. A proxy runs the same request path for every request, so Patchbay lowers both once
// start-up is over: start-up code runs once, and optimizing it sooner only cost idle memory
// (about 2 MB). Set after the bundle's V8 code cache was written (scripts/load-bundle.mjs): a
// cache is tied to the flags it was made under, and the next start loads it under V8's defaults.
// Measured (ADR 0013): main-thread CPU per request after 30 requests 1.53 -> 1.26 ms (small)
// and at steady state 1.07 -> 0.88 ms; the extra compiling runs on V8's worker threads.
// Only on the V8 these were measured on (11, Node 20): later V8s tier up through Maglev and
// count calls instead (`--invocation-count-for-turbofan`), and print an error for a flag they
// do not know; there V8's defaults stay until measured.
import { setFlagsFromString } from 'node:v8';
import { v8Major } from './v8-version.mjs';

/** A quarter of V8's default (`node --v8-options`: 67584 in Node 20). */
const INTERRUPT_BUDGET = 16896;
/** A tenth of V8's default (500). */
const MINIMUM_CALLS_AFTER_IC_UPDATE = 50;

/** Whether the flags below are this V8's (`process.versions.v8`, e.g. 11.3.244.8-node.38). */
export function tiersUpByInterruptBudget(v8Version = process.versions.v8) {
  return v8Major(v8Version) === 11;
}

/**
 * Call once start-up is over (the server listens), after any code cache was written. Says
 * whether it changed anything (not on a V8 other than 11).
 */
export function optimizeHotCodeSooner() {
  if (!tiersUpByInterruptBudget()) return false;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  setFlagsFromString(`--minimum-invocations-after-ic-update=${MINIMUM_CALLS_AFTER_IC_UPDATE}`);
  return true;
}
