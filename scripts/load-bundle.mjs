// Runs the CommonJS bundle (dist/patchbay.cjs) in this process through vm.Script with a V8 code
// cache kept beside it (`<bundle>.v8cache`): a start with a valid cache skips parsing and
// compiling most of the 2 MB bundle (measured: CPU to ready ~350-450 ms -> ~190-290 ms). The
// cache is written a second after a start that had none (or a stale one: V8 rejects a
// cache made from another source or V8 version), once the start-up code has been compiled;
// `afterStartUp` runs then, after the write (flags it changes do not reach the cache).
// A read-only install simply never gets one. Node 20 has no compile cache for ES modules
// (module.enableCompileCache is Node 22), hence CommonJS and this loader.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { setTimeout } from 'node:timers';
import vm from 'node:vm';
import { withStartupFlags } from './young-generation.mjs';

/** When start-up is taken to be over: the cache is written then, and `afterStartUp` runs. */
export const START_UP_MS = 1000;

export function codeCacheOf(bundle) {
  return `${bundle}.v8cache`;
}

function readCache(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCodeCache(script, cacheFile) {
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    // Made under the flags the next start reads it with (the young-generation cap changes them).
    writeFileSync(tmp, withStartupFlags(() => script.createCachedData()));
    renameSync(tmp, cacheFile);
  } catch {
    // read-only install or full disk: start without a cache next time too
  }
}

/**
 * Runs `bundle` as the main program (process.argv as given); says whether V8 took the cache.
 * `afterStartUp` runs a second after, once any cache was written.
 */
export function runBundle(bundle, { afterStartUp } = {}) {
  const cacheFile = codeCacheOf(bundle);
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const writeCache = !cachedData || script.cachedDataRejected;
  if (writeCache || afterStartUp) {
    setTimeout(() => {
      if (writeCache) writeCodeCache(script, cacheFile);
      afterStartUp?.();
    }, START_UP_MS).unref();
  }
  const module = new Module(bundle);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(dirname(bundle));
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return { usedCodeCache: cachedData !== undefined && !script.cachedDataRejected };
}
