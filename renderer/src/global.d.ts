// `window.patchbay` exists in the Electron window only (its preload exposes it); the type is
// the preload's own, so the page and the preload cannot drift apart.
import type { PatchbayPreloadApi } from '../../main/shared/preload-api';

declare global {
  interface Window {
    patchbay?: PatchbayPreloadApi;
  }
}

export {};
