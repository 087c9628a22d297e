#!/usr/bin/env node
// The `patchbay` command. Runs the built bundle (dist/patchbay.cjs, made by `npm install` through
// the `prepare` script, or `npm run build`) when it was built from the current sources: plain JS,
// V8 code cache, fast start, small footprint (scripts/load-bundle.mjs). Otherwise (no build, or
// sources changed since) it runs the TypeScript sources through tsx and says why on stderr.
// PATCHBAY_FROM_SOURCE=1 forces the sources; PATCHBAY_BUNDLE=<file> runs that bundle unchecked
// (the bench's private build). No extra process is spawned: the server runs in this process.
import { dirname, resolve } from 'node:path';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { BUNDLE, whyBuildUnusable } from '../scripts/build-fingerprint.mjs';
import { optimizeHotCodeSooner } from '../scripts/early-optimization.mjs';
import { runBundle, START_UP_MS } from '../scripts/load-bundle.mjs';
import { capYoungGeneration, scavengeOnMainThread } from '../scripts/young-generation.mjs';

// The young generation may grow to a cap, not to V8's 2 x 16 MB (scripts/young-generation.mjs).
capYoungGeneration();

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fromSource = process.env.PATCHBAY_FROM_SOURCE === '1';
const pinned = process.env.PATCHBAY_BUNDLE;
const why = fromSource || pinned ? undefined : whyBuildUnusable(root);

// Once start-up is over, V8 optimizes the request path after fewer requests than its defaults
// wait for (scripts/early-optimization.mjs), and scavenges without waiting for its worker
// threads (scripts/young-generation.mjs).
const afterStartUp = () => {
  optimizeHotCodeSooner();
  scavengeOnMainThread();
};

if (!fromSource && pinned) {
  runBundle(resolve(pinned), { afterStartUp });
} else if (!fromSource && why === undefined) {
  runBundle(resolve(root, BUNDLE), { afterStartUp });
} else {
  setTimeout(afterStartUp, START_UP_MS).unref();
  if (why !== undefined) process.stderr.write(`patchbay: ${why}; running the TypeScript sources through tsx (slower start; \`npm run build\` makes the fast build)\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../app/cli/main.ts');
}
