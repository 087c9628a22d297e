/** Every window's webPreferences: isolated, sandboxed, no Node, web security on, no webview, no spellcheck. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secureWebPreferences } from '../../../../main/security/web-preferences';

test('secure webPreferences carry the preload and every hardening flag', () => {
  const prefs = secureWebPreferences('/app/dist/main/preload.cjs');
  assert.equal(prefs.preload, '/app/dist/main/preload.cjs');
  assert.deepEqual(
    {
      contextIsolation: prefs.contextIsolation,
      sandbox: prefs.sandbox,
      nodeIntegration: prefs.nodeIntegration,
      nodeIntegrationInWorker: prefs.nodeIntegrationInWorker,
      nodeIntegrationInSubFrames: prefs.nodeIntegrationInSubFrames,
      webSecurity: prefs.webSecurity,
      allowRunningInsecureContent: prefs.allowRunningInsecureContent,
      webviewTag: prefs.webviewTag,
      spellcheck: prefs.spellcheck,
      experimentalFeatures: prefs.experimentalFeatures,
    },
    {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
    },
  );
  assert.equal(prefs.enableBlinkFeatures, undefined, 'no extra Blink features');
  assert.equal(prefs.additionalArguments, undefined, 'nothing passed to the renderer process');
  assert.notEqual(secureWebPreferences('/a'), secureWebPreferences('/a'), 'a fresh object per window (Electron may keep it)');
});
