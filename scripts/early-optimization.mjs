// Hot code optimized sooner. V8 tiers a function up to optimized code once it has used up an
// interrupt budget (bytecode run) a few times over and, when its inline caches changed lately,
// has been called 500 times since: defaults made for web pages, most of whose code runs a few
// times. A proxy runs the same request path for every request, so Patchbay lowers both once
// start-up is over: start-up code runs once, and optimizing it sooner only cost idle memory
// (about 2 MB). Set after the bundle's V8 code cache was written (scripts/load-bundle.mjs): a
// cache is tied to the flags it was made under, and the next start loads it under V8's defaults.
// Measured (ADR 0013): main-thread CPU per request after 30 requests 1.53 -> 1.26 ms (small)
// and at steady state 1.07 -> 0.88 ms; the extra compiling runs on V8's worker threads.
import { setFlagsFromString } from 'node:v8';

/** A quarter of V8's default (`node --v8-options`: 67584 in Node 20). */
export const INTERRUPT_BUDGET = 16896;
/** A tenth of V8's default (500). */
export const MINIMUM_CALLS_AFTER_IC_UPDATE = 50;

/** Call once start-up is over (the server listens), after any code cache was written. */
export function optimizeHotCodeSooner() {
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  setFlagsFromString(`--minimum-invocations-after-ic-update=${MINIMUM_CALLS_AFTER_IC_UPDATE}`);
}
