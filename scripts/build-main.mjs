#!/usr/bin/env node
// Builds the Electron main process: main/main.ts -> dist/main/main.cjs (the engine bundled in,
// CommonJS for Node) and main/preload/preload.ts -> dist/main/preload.cjs (a sandboxed preload
// may only require('electron'), so everything else is bundled into it). electron is provided
// by the runtime; keytar stays external (a native addon, rebuilt for Electron by the packager).
// `npm run build:main`; `npm start` runs it when the sources are newer than the output.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MAIN_OUT = 'dist/main/main.cjs';
export const PRELOAD_OUT = 'dist/main/preload.cjs';

export async function buildMain() {
  const { build } = await import('esbuild');
  mkdirSync(join(root, 'dist/main'), { recursive: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    target: 'node20.10',
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
    minifyWhitespace: true,
    minifySyntax: true,
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: ['main/main.ts'],
      outfile: MAIN_OUT,
      platform: 'node',
      external: ['electron', 'keytar'],
      // As in scripts/build.mjs: ESM builds first (jsonc-parser's UMD main cannot be followed).
      mainFields: ['module', 'main'],
      // CommonJS output: code that locates files with `import.meta` gets dist/main's own.
      define: { 'import.meta.dirname': '__dirname', 'import.meta.url': '__pb_import_meta_url' },
      banner: { js: 'const __pb_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    }),
    build({
      ...common,
      entryPoints: ['main/preload/preload.ts'],
      outfile: PRELOAD_OUT,
      platform: 'browser',
      external: ['electron'],
    }),
  ]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  try {
    await buildMain();
    console.log(`patchbay: built ${MAIN_OUT} and ${PRELOAD_OUT} in ${Math.round(performance.now() - started)} ms`);
  } catch (err) {
    console.error(`patchbay: could not build the Electron main process: ${err.message}`);
    process.exitCode = 1;
  }
}
