/**
 * The built dashboard (dist/ui) in Chromium against the real engine (`patchbay serve`'s) and
 * the fake NIM and Moonshot upstreams: signed in by the one-time login link, it switches the
 * backend in one click and the next request reaches the other fake; requests sent by a client
 * appear as log rows without a reload; "Copy Claude Code env" puts the engine's exports on the
 * clipboard. A page without the session cookie shows the designed signed-out state.
 * Skipped, with the reason printed, when dist/ui or Chromium is missing.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { startEngine } from '../../app/runtime/engine';
import type { Engine } from '../../app/runtime/engine';
import { startFakeMoonshot } from '../fakes/fake-moonshot';
import { startFakeNim } from '../fakes/fake-nim';
import type { FakeUpstream } from '../fakes/scenario';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dirs';
import { UI_DIR } from './fake-admin-host';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = resolve(import.meta.dirname, '../../test-output/ui');
const missing = !existsSync(join(UI_DIR, 'index.html')) ? 'dist/ui is not built (run `npm run build:ui`)' : !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : undefined;
if (missing) console.log(`# dashboard against the engine skipped: ${missing}`);

interface BrowserGlobals {
  navigator: { clipboard: { readText(): Promise<string> } };
}

describe('dashboard against the real engine', { skip: missing }, () => {
  let browser: Browser;
  let engine: Engine;
  let nim: FakeUpstream;
  let moonshot: FakeUpstream;
  let url: string;
  let dir: string;

  before(async () => {
    nim = await startFakeNim();
    moonshot = await startFakeMoonshot();
    dir = makeTempDir('dashboard-ui');
    const configPath = join(dir, 'config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        clientToken: `pb-client-${randomBytes(16).toString('hex')}`,
        adminToken: `pb-admin-${randomBytes(16).toString('hex')}`,
        active: 'nim',
        backends: [
          { id: 'nim', name: 'NIM', format: 'openai', baseUrl: nim.url, apiKey: 'env:NIM_KEY', model: 'moonshotai/kimi-k2.6', rpm: 40 },
          { id: 'moonshot', name: 'Moonshot', format: 'anthropic', baseUrl: moonshot.url, apiKey: 'env:MOONSHOT_KEY', model: 'kimi-k2.6' },
        ],
      }),
    );
    engine = await startEngine({
      configPath,
      dataDir: join(dir, 'data'),
      env: { NIM_KEY: nim.key, MOONSHOT_KEY: moonshot.key },
      keychainService: `patchbay-test-${randomBytes(4).toString('hex')}`,
      uiDir: UI_DIR,
    });
    url = await engine.listen('127.0.0.1', 0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  });

  after(async () => {
    await browser?.close();
    await engine?.close();
    await nim?.close();
    await moonshot?.close();
    if (dir) removeTempDirs(dir);
  });

  /** One request as Claude Code sends it, with the client token. */
  const ask = () =>
    fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': engine.clientToken(), 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }),
    }).then((r) => r.status);

  it('signs in by the link, switches the backend in one click, shows the requests live, copies the env', async () => {
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
