// The major version of a V8 (`process.versions.v8`, e.g. 11.3.244.8-node.38 -> 11). The start-up
// tunings (early-optimization.mjs, young-generation.mjs) apply only on the V8 they were measured on.

/** The major version of the given V8 version string (this process's by default). */
export function v8Major(v8Version = process.versions.v8) {
  return Number(v8Version.split('.')[0]);
}
