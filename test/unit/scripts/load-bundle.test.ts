// The bundle loader keeps a V8 code cache beside the bundle: written a second after a start
// without one, taken by the next start, rejected (and rewritten) once the bundle changes.
// Neither the bundle nor its cache becomes a large malloc'd block that is freed (ADR 0014).
// Real child processes: the cache is only valid for the same V8 and flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { codeCacheOf, readTextInChunks } from '../../../scripts/load-bundle.mjs';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

const LOADER = pathToFileURL(resolve(import.meta.dirname, '../../../scripts/load-bundle.mjs')).href;
const YOUNG_GENERATION = pathToFileURL(resolve(import.meta.dirname, '../../../scripts/young-generation.mjs')).href;
const EARLY_OPTIMIZATION = pathToFileURL(resolve(import.meta.dirname, '../../../scripts/early-optimization.mjs')).href;

/**
 * Runs the bundle in a fresh Node that stays up 1.5 s (long enough for the cache write).
 * `capped`: started as bin/patchbay.js starts (young-generation growth held, and hot code
 * optimized sooner once start-up is over: both change V8's flags), and, when
 * `loaded`, the growth flag changed after the bundle was loaded, as load changes it in a
 * `patchbay serve` that takes traffic.
 */
function run(bundle: string, capped = false, loaded = false): { usedCodeCache: boolean; output: string } {
  const cap = capped ? `await import(${JSON.stringify(YOUNG_GENERATION)}).then((y) => y.capYoungGeneration());` : '';
  const afterStartUp = capped ? `{ afterStartUp: () => { e.optimizeHotCodeSooner(); console.log('AFTER START-UP'); } }` : '{}';
  const load = loaded ? `(await import(${JSON.stringify(YOUNG_GENERATION)})).allowYoungGenerationGrowth(true);` : '';
  const program = `${cap} const e = await import(${JSON.stringify(EARLY_OPTIMIZATION)}); import(${JSON.stringify(LOADER)}).then(async (m) => { const r = m.runBundle(${JSON.stringify(bundle)}, ${afterStartUp}); console.log('RESULT ' + JSON.stringify(r)); ${load} setTimeout(() => {}, 1500); });`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' });
  const result = /RESULT (.*)/.exec(output)?.[1];
  assert.ok(result, output);
  return { ...(JSON.parse(result) as { usedCodeCache: boolean }), output };
}

test('first start writes the cache, the next one uses it, a changed bundle gets a new one', (t) => {
  const dir = makeTempDir('load-bundle');
  t.after(() => removeTempDirs(dir));
  const bundle = join(dir, 'bundle.cjs');
  const body = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + require('node:path').sep.length; }`).join('\n');
  writeFileSync(bundle, `${body}\nconsole.log('ran with ' + f7(6) + ' in ' + require('node:path').basename(__filename));\n`);

  const first = run(bundle);
  assert.match(first.output, /ran with 43 in bundle\.cjs/, 'module wrapper: require and __filename work');
  assert.equal(first.usedCodeCache, false);
  assert.ok(existsSync(codeCacheOf(bundle)), 'the cache was written after the first start');

  assert.equal(run(bundle).usedCodeCache, true);

  writeFileSync(bundle, `${body}\nconsole.log('ran again with ' + f8(1));\n`);
  const changed = run(bundle);
  assert.match(changed.output, /ran again with 9/);
  assert.equal(changed.usedCodeCache, false, 'a cache made from other source is rejected');
  assert.equal(run(bundle).usedCodeCache, true, 'and rewritten');
});

test('a cache written after the young-generation growth flag changed, with the early-optimization flags set after start-up, is taken by the next start', (t) => {
  const dir = makeTempDir('load-bundle-capped');
  t.after(() => removeTempDirs(dir));
  const bundle = join(dir, 'bundle.cjs');
  writeFileSync(bundle, `${Array.from({ length: 50 }, (_, i) => `function g${i}(x) { return x + ${i}; }`).join('\n')}\nconsole.log('ran ' + g3(1));\n`);
  const first = run(bundle, true, true);
  assert.equal(first.usedCodeCache, false);
  assert.match(first.output, /AFTER START-UP/, 'afterStartUp ran');
  assert.ok(existsSync(codeCacheOf(bundle)));
  // The next start reads the cache before load has changed the flag.
  assert.equal(run(bundle, true).usedCodeCache, true, 'V8 rejected a cache made under the changed flags');
});

test('the bundle is read in chunks with the same text as one read, characters cut at a chunk edge included', (t) => {
  const dir = makeTempDir('load-bundle-text');
  t.after(() => removeTempDirs(dir));
  const file = join(dir, 'text.cjs');
  // Two-, three- and four-byte characters laid so that some straddle each 64 KiB boundary.
  const unit = `// é € 😀 ${'x'.repeat(997)}\n`;
  const text = unit.repeat(300);
  writeFileSync(file, text);
  assert.ok(Buffer.byteLength(text) > 4 * 64 * 1024);
  assert.equal(readTextInChunks(file), readFileSync(file, 'utf8'));
  writeFileSync(file, '');
  assert.equal(readTextInChunks(file), '');
});

test('the code cache read at start is held for the life of the process, not freed (ADR 0014)', (t) => {
  const dir = makeTempDir('load-bundle-held');
  t.after(() => removeTempDirs(dir));
  const bundle = join(dir, 'bundle.cjs');
  // Every function runs at start, so the cache holds them all: over 128 KiB, a block of its own
  // (malloc'd apart from the arena), as the real one (1.5 MB) is.
  writeFileSync(bundle, `${Array.from({ length: 3000 }, (_, i) => `function h${i}(x) { return [x, ${i}, 'h${i}'].join(String(x).length > ${i} ? '+' : '-'); }`).join('\n')}\nlet ran = 0;\n${Array.from({ length: 3000 }, (_, i) => `ran += h${i}(1).length;`).join('\n')}\nconsole.log('ran ' + ran);\n`);
  run(bundle);
  const cacheBytes = statSync(codeCacheOf(bundle)).size;
  assert.ok(cacheBytes > 128 * 1024, `cache of ${cacheBytes} bytes`);
  // gc() is exposed only after the start: --expose-gc on the command line would change V8's flags and the cache would be rejected.
  const program = `import v8 from 'node:v8'; import vm from 'node:vm'; import(${JSON.stringify(LOADER)}).then((m) => { const r = m.runBundle(${JSON.stringify(bundle)}); v8.setFlagsFromString('--expose-gc'); const gc = vm.runInNewContext('gc'); gc(); gc(); console.log('HELD ' + JSON.stringify({ ...r, arrayBuffers: process.memoryUsage().arrayBuffers })); });`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' });
  const held = JSON.parse(/HELD (.*)/.exec(output)?.[1] ?? 'null') as { usedCodeCache: boolean; arrayBuffers: number } | null;
  assert.ok(held, output);
  assert.equal(held.usedCodeCache, true);
  assert.ok(held.arrayBuffers >= cacheBytes, `after two full GCs the process holds ${held.arrayBuffers} bytes of ArrayBuffers; the cache is ${cacheBytes}`);
});
