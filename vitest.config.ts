/**
 * Vitest for the UI's unit tests (test/ui/unit/*.test.tsx: store, HTTP bridge).
 * The `.tsx` suffix keeps them out of Node's test runner (scripts/run-tests.mjs takes *.test.ts).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    include: ['test/ui/unit/**/*.test.tsx'],
    // Node, not jsdom: jsdom 31's undici needs zlib zstd, which Node 20 lacks (fails to load).
    environment: 'node',
    pool: 'threads',
    maxWorkers: 1,
  },
});
