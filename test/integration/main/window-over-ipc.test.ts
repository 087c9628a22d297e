/**
 * The built UI (dist/ui) in Chromium as the Electron window would run it, minus Electron: its
 * files answered by the app:// protocol handler (so the page lives under RENDERER_CSP), and a
 * `window.patchbay` that forwards to the real preload API, over the Electron-like IPC pair, to
 * the IPC host on a real engine with fake upstreams. The page must pick the IPC bridge, show
 * the engine connected, switch the backend in one click, get request rows by IPC events, copy
 * the Claude Code env, and do it with no page error, no CSP violation and no request off the
 * app's origin. (The page-side `window.patchbay` stands in for contextBridge.)
 * Skipped, with the reason printed, when dist/ui or Chromium is missing.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { AdminEvent } from '../../../app/api/contract';
import { setupIpcHost } from '../../../main/ipc/ipc-host';
import { ownSenderCheck } from '../../../main/ipc/own-sender';
import { createPreloadApi } from '../../../main/preload/preload-api';
import { answerAppRequest, APP_ORIGIN } from '../../../main/windows/app-protocol';
import { chromiumMissing } from '../../helpers/chromium';
import { useChromiumOnEngine } from '../../helpers/chromium-on-engine';
import { FakeIpcMain, FakeWindow } from '../../unit/main/ipc/helpers/electron-ipc-pair';

const UI_DIR = resolve(import.meta.dirname, '../../../dist/ui');
/** Chromium cannot load app:// without Electron: the page is served under this secure origin instead, by the same handler. */
const PAGE_ORIGIN = 'https://patchbay.invalid';
const missing = !existsSync(join(UI_DIR, 'index.html')) ? 'dist/ui is not built (run `npm run build:ui`)' : chromiumMissing();
if (missing) console.log(`# the UI over IPC skipped: ${missing}`);

/** What the page sees as `window.patchbay`: each method forwards to the preload API in Node. */
const PAGE_PRELOAD = `(() => {
  const listeners = new Set();
  window.__patchbayEmit = (event) => { for (const l of [...listeners]) l(event); };
  window.patchbay = Object.freeze({
    call: (command, input) => window.__patchbayCall(command, input),
    subscribe(listener) {
      if (listeners.size === 0) void window.__patchbaySubscribe(true);
      listeners.add(listener);
      return () => { listeners.delete(listener); if (listeners.size === 0) void window.__patchbaySubscribe(false); };
    },
    platform: 'linux',
  });
})();`;

interface PageGlobals {
  __patchbayEmit(event: AdminEvent): void;
  navigator: { clipboard: { readText(): Promise<string> } };
}

describe('the UI over IPC, under the window CSP', { skip: missing }, () => {
  const ui = useChromiumOnEngine({ tempDirName: 'ui-over-ipc', withMoonshot: true, nimRpm: 40 });

  it('picks the IPC bridge, switches the backend, follows requests by IPC events, copies the env; no CSP violation', async () => {
    const { browser, rig } = ui;
    const { engine, url, moonshot, ask } = rig;
    const ipcMain = new FakeIpcMain();
    const window = new FakeWindow(ipcMain, 1, `${APP_ORIGIN}/index.html`);
    const dispose = setupIpcHost({
      ipcMain,
      api: engine.api,
      isOwnSender: ownSenderCheck({ windows: () => [{ webContents: window.contents }], origin: APP_ORIGIN }),
      baseUrl: () => url,
    });
    const preload = createPreloadApi(window.ipcRenderer, 'linux');

    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: PAGE_ORIGIN });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && problems.push(`CSP: ${m.text()}`));
    await context.route('**/*', async (route) => {
      const requested = new URL(route.request().url());
      if (requested.origin !== PAGE_ORIGIN) {
        problems.push(`off origin: ${requested.href}`);
        return route.abort();
      }
      const res = await answerAppRequest(UI_DIR, new Request(`${APP_ORIGIN}${requested.pathname}${requested.search}`));
      return route.fulfill({ status: res.status, headers: Object.fromEntries(res.headers), body: Buffer.from(await res.arrayBuffer()) });
    });

    let off: (() => void) | undefined;
    const calls: string[] = [];
    await page.exposeFunction('__patchbayCall', (command: string, input: unknown) => (calls.push(command), preload.call(command as never, input as never)));
    await page.exposeFunction('__patchbaySubscribe', (on: boolean) => {
      off?.();
      off = on ? preload.subscribe((event) => void page.evaluate((e) => (globalThis as unknown as PageGlobals).__patchbayEmit(e), event).catch(() => undefined)) : undefined;
    });
    await page.addInitScript(PAGE_PRELOAD);

    try {
      await page.goto(`${PAGE_ORIGIN}/`);
      await page.getByText('Connected').waitFor();
      await page.locator('.active-chip', { hasText: 'NIM' }).waitFor();
      assert.ok(calls.includes('getState'), 'the page asked over IPC');

      assert.equal(await ask(), 200);
      await page.getByRole('button', { name: 'Moonshot' }).click();
      await page.locator('.active-chip', { hasText: 'Moonshot' }).waitFor();
      assert.equal(engine.registry.active.id, 'moonshot', 'the switch reached the engine');
      assert.equal(await ask(), 200);
      assert.equal(moonshot.requests.length, 1);

      await page.getByRole('link', { name: 'Log' }).click();
      await page.getByText('2 rows').waitFor();
      assert.equal(await ask(), 200);
      await page.getByText('3 rows').waitFor(); // by an IPC event, no reload

      await page.getByRole('link', { name: 'Overview' }).click();
      await page.getByRole('button', { name: 'Copy Claude Code env' }).click();
      await page.getByText('Copied').waitFor();
      const copied = await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText());
      assert.ok(copied.includes(`ANTHROPIC_BASE_URL='${url}'`), copied);
      assert.deepEqual(problems, []);
    } finally {
      off?.();
      await context.close();
      dispose();
    }
  });
});
