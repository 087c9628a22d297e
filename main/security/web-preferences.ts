/**
 * The webPreferences of every Patchbay window: the page runs isolated and sandboxed with no Node,
 * reaches the app only through the preload's narrow API, and cannot turn web security off, load
 * insecure content, embed webviews or run experimental features. Spellcheck is off (it would
 * send typed text, such as a pasted key, to a dictionary service on some platforms).
 */
import type { WebPreferences } from 'electron';

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    enableWebSQL: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}
