#!/usr/bin/env node
// Builds the dashboard UI (renderer/ -> dist/ui/) with Vite's API. Run by `npm install`
// (`prepare`) after the engine bundle, so `npx patchbay serve` serves a working page. A failed
// UI build never fails the install: the proxy works without it, and `/` then says how to build.
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
try {
  const { build } = await import('vite');
  await build({ root: resolve(root, 'renderer'), configFile: resolve(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
  console.log('patchbay: built the dashboard in dist/ui');
} catch (err) {
  console.error(`patchbay: the dashboard UI could not be built (${err instanceof Error ? err.message : String(err)}); the proxy works without it, run \`npm run build:ui\` to retry`);
}
