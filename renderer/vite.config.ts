/**
 * Builds the Patchbay UI (renderer/) into dist/ui/ with relative asset paths, so the same
 * files work served at `/` by `patchbay serve` and loaded from disk by the Electron window.
 * Run as `vite build renderer` (npm run build:ui); this file is found in that root.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/ui',
    emptyOutDir: true,
    // No inline scripts or data: URLs: the page's CSP is `default-src 'self'`.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
