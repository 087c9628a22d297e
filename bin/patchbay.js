#!/usr/bin/env node
// The `patchbay` command. Runs the built bundle (dist/patchbay.mjs, made by `npm install` through
// the `prepare` script, or `npm run build`) when it was built from the current sources: plain JS,
// fast start, small footprint. Otherwise (no build, or sources changed since) it runs the
// TypeScript sources through tsx and says why on stderr. PATCHBAY_FROM_SOURCE=1 forces the sources.
// No extra process is spawned: the server runs in this very process.
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUNDLE, whyBuildUnusable } from '../scripts/build-fingerprint.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const why = process.env.PATCHBAY_FROM_SOURCE === '1' ? undefined : whyBuildUnusable(root);

if (process.env.PATCHBAY_FROM_SOURCE !== '1' && why === undefined) {
  await import(pathToFileURL(resolve(root, BUNDLE)).href);
} else {
  if (why !== undefined) process.stderr.write(`patchbay: ${why}; running the TypeScript sources through tsx (slower start; \`npm run build\` makes the fast build)\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../app/cli/main.ts');
}
