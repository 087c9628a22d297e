/**
 * The built dashboard (dist/ui) in Chromium against the real engine (`patchbay serve`'s) and
 * the fake NIM and Moonshot upstreams: signed in by the one-time login link, it switches the
 * backend in one click and the next request reaches the other fake; requests sent by a client
 * appear as log rows without a reload; "Copy Claude Code env" puts the engine's exports on the
 * clipboard. A page without the session cookie shows the designed signed-out state.
 * Skipped, with the reason printed, when dist/ui or Chromium is missing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { chromiumMissing } from '../helpers/chromium';
import { useChromiumOnEngine } from '../helpers/chromium-on-engine';
import { UI_DIR } from './fake-admin-host';

const SHOTS = resolve(import.meta.dirname, '../../test-output/ui');
const missing = !existsSync(join(UI_DIR, 'index.html')) ? 'dist/ui is not built (run `npm run build:ui`)' : chromiumMissing();
if (missing) console.log(`# dashboard against the engine skipped: ${missing}`);

interface BrowserGlobals {
  navigator: { clipboard: { readText(): Promise<string> } };
}

describe('dashboard against the real engine', { skip: missing }, () => {
  const ui = useChromiumOnEngine({ tempDirName: 'dashboard-ui', withMoonshot: true, nimRpm: 40, uiDir: UI_DIR });

  it('signs in by the link, switches the backend in one click, shows the requests live, copies the env', async () => {
    const { browser, rig } = ui;
    const { engine, url, nim, moonshot, ask } = rig;
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => !r.url().startsWith(url) && problems.push(`off origin: ${r.url()}`));
    await page.goto(engine.dashboardLoginUrl(url));
    assert.equal(new URL(page.url()).search, '', 'the login code is gone from the address bar');
    await page.getByText('Connected').waitFor();
    await page.locator('.active-chip', { hasText: 'NIM' }).waitFor();

    assert.equal(await ask(), 200);
    assert.equal(nim.requests.length, 1);
    await page.getByRole('button', { name: 'Moonshot' }).click();
    await page.locator('.active-chip', { hasText: 'Moonshot' }).waitFor();
    assert.equal(await ask(), 200);
    assert.equal(moonshot.requests.length, 1, 'the next request went to the backend chosen in the UI');
    assert.equal(nim.requests.length, 1);

    await page.getByRole('link', { name: 'Log' }).click();
    await page.getByText('2 rows').waitFor();
    assert.equal(await ask(), 200);
    await page.getByText('3 rows').waitFor(); // arrived by the event stream, no reload
    const backends = await page.locator('.log-row[role=row] [role=gridcell]:nth-child(3)').allTextContents();
    assert.deepEqual(backends, ['moonshot', 'moonshot', 'nim']);

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Copy Claude Code env' }).click();
    await page.getByText('Copied').waitFor();
    const copied = await page.evaluate(() => (globalThis as unknown as BrowserGlobals).navigator.clipboard.readText());
    assert.match(copied, new RegExp(`ANTHROPIC_BASE_URL='?${url.replace(/[.]/g, '\\.')}`));
    assert.ok(copied.includes(engine.clientToken()));
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('without the session cookie the page says it is signed out', async () => {
    const { browser, rig } = ui;
    const { url } = rig;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('.topbar', { hasText: 'Signed out' }).waitFor();
    await page.getByRole('alert').getByText(/Open the dashboard link printed by/).waitFor();
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'signed-out-light.png') });
    await context.close();
  });
});
