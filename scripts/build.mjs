#!/usr/bin/env node
// Builds dist/patchbay.cjs: app/cli/main.ts and its dependencies bundled into one plain-JS
// CommonJS file (esbuild), so `patchbay serve` starts without compiling TypeScript (no tsx, no
// esbuild service process). CommonJS so that bin/patchbay.js can run it through vm.Script with
// a V8 code cache (scripts/load-bundle.mjs); Node 20 has no compile cache for ES modules. Runs from `npm install` (the `prepare` script) and `npm run build`.
// keytar stays external (a native addon, optional). A failed build never fails `npm install`:
// bin/patchbay.js then runs the sources through tsx and says so.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_INFO, BUNDLE, sourceFingerprint } from './build-fingerprint.mjs';
import { codeCacheOf } from './load-bundle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds `outfile` (default dist/patchbay.cjs, with dist/build-info.json for the bin). Another
 * outfile (the bench's private copy) gets no build-info; keep it inside the checkout so the
 * bundle still finds node_modules (keytar).
 */
export async function buildBundle(outfile = BUNDLE) {
  const { build } = await import('esbuild');
  // Fingerprint first: a source edited during the build then makes the build stale, not "fresh".
  const fingerprint = sourceFingerprint(root);
  mkdirSync(dirname(resolve(root, outfile)), { recursive: true });
  rmSync(codeCacheOf(resolve(root, outfile)), { force: true });
  await build({
    absWorkingDir: root,
    entryPoints: ['app/cli/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.10',
    external: ['keytar'],
    // ESM builds first: some packages' `main` is a UMD wrapper whose inner require()s a bundler
    // cannot follow (jsonc-parser: "Cannot find module './impl/format'" at run time).
    mainFields: ['module', 'main'],
    // The bundle runs through vm.Script (load-bundle.mjs), which has no loader for `import()`:
    // external dynamic imports (keytar) become require() ("A dynamic import callback was not
    // specified" otherwise, and the keychain is off in `patchbay serve`).
    supported: { 'dynamic-import': false },
    // The bundle is CommonJS: `import.meta.dirname` (app/proxy/web finds dist/ui with it) is its `__dirname`.
    define: { 'import.meta.dirname': '__dirname' },
    // Whitespace and syntax only (names kept: stack traces and class names read as in the
    // sources): a third less to parse, measured ~100 ms less CPU to ready and 4 MB less RSS.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  if (outfile !== BUNDLE) return;
  writeFileSync(join(root, BUILD_INFO), JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }, null, 2) + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  try {
    await buildBundle();
    console.log(`patchbay: built ${BUNDLE} in ${Math.round(performance.now() - started)} ms`);
  } catch (err) {
    // Never fail `npm install` over this: the bin falls back to the TypeScript sources.
    console.warn(`patchbay: could not build ${BUNDLE} (${err.message}); \`patchbay\` will run the TypeScript sources through tsx (slower start)`);
    process.exitCode = process.env.PATCHBAY_BUILD_STRICT === '1' ? 1 : 0;
  }
}
