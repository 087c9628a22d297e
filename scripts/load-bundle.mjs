// Runs the CommonJS bundle (dist/patchbay.cjs) in this process through vm.Script with a V8 code
// cache kept beside it (`<bundle>.v8cache`): a start with a valid cache skips parsing and
// compiling most of the 2 MB bundle (measured: CPU to ready ~350-450 ms -> ~190-290 ms). The
// cache is written a second after a start that had none (or a stale one: V8 rejects a
// cache made from another source or V8 version), once the start-up code has been compiled;
// `afterStartUp` runs then, after the write (flags it changes do not reach the cache).
// A read-only install simply never gets one. Node 20 has no compile cache for ES modules
// (module.enableCompileCache is Node 22), hence CommonJS and this loader.
// Neither file is read into one large malloc'd block that is later freed (ADR 0014): freeing
// one raises glibc's trim threshold for the life of the process, and every thread's malloc
// arena then keeps up to twice that size of free memory.
import { Buffer } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout } from 'node:timers';
import vm from 'node:vm';
import { withStartupFlags } from './young-generation.mjs';

/** When start-up is taken to be over: the cache is written then, and `afterStartUp` runs. */
export const START_UP_MS = 1000;

/** Under glibc's default mmap threshold (128 KiB): a block this size comes from the arena. */
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * The code caches this process holds, read or made: about 1.5 MB each, malloc'd by Node. Kept
 * for the life of the process, never freed (ADR 0014).
 */
const heldCodeCaches = [];

export function codeCacheOf(bundle) {
  return `${bundle}.v8cache`;
}

/**
 * A UTF-8 file's text, read 64 KiB at a time. `readFileSync(file, 'utf8')` grows one buffer by
 * doubling (to 4 MB for the 2.5 MB bundle) and frees each step; the chunks here stay in the arena.
 */
export function readTextInChunks(file) {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    const parts = [];
    let n;
    while ((n = readSync(fd, chunk, 0, READ_CHUNK_BYTES, null)) > 0) parts.push(decoder.write(chunk.subarray(0, n)));
    parts.push(decoder.end());
    return parts.join('');
  } finally {
    closeSync(fd);
  }
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
    const data = withStartupFlags(() => script.createCachedData());
    heldCodeCaches.push(data);
    writeFileSync(tmp, data);
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
  if (cachedData) heldCodeCaches.push(cachedData);
  const script = new vm.Script(Module.wrap(readTextInChunks(bundle)), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
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
