/**
 * The built dashboard (dist/ui, `npm run build:ui`: this test builds nothing) in Debian's
 * Chromium against the fake admin host: it loads under its CSP with no request leaving the
 * origin, switches the backend in one click, copies the Claude Code env to the clipboard,
 * shows live rows (in flight, then finished) without a reload, opens a request's detail, sets
 * a key and sees it marked set, has no serious axe violation on any panel, and stays responsive scrolling 10,000 rows (measured). Light
 * and dark screenshots of every panel go to test-output/ui/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startFakeAdminHost, UI_DIR } from './fake-admin-host';
import type { FakeAdminHost } from './fake-admin-host';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = resolve(import.meta.dirname, '../../test-output/ui');
const missing = !existsSync(join(UI_DIR, 'index.html')) ? 'dist/ui is not built (run `npm run build:ui`)' : !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : undefined;
if (missing) console.log(`# dashboard smoke skipped: ${missing}`);

/** The page's globals used inside `evaluate` (this file is type-checked as Node code, without the DOM). */
interface BrowserGlobals {
  navigator: { clipboard: { readText(): Promise<string> } };
  requestAnimationFrame(callback: () => void): number;
}

const PANELS = ['overview', 'backends', 'agents', 'log'] as const;

describe('dashboard in Chromium', { skip: missing }, () => {
  let browser: Browser;
  let host: FakeAdminHost;
  const problems: string[] = [];

  async function open(colorScheme: 'light' | 'dark', hash = ''): Promise<{ context: BrowserContext; page: Page }> {
    problems.length = 0;
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.url });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => !r.url().startsWith(host.url) && problems.push(`request off origin: ${r.url()}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} for ${r.url()}`));
    await page.goto(`${host.url}/${hash}`);
    await page.getByText('Connected').waitFor();
    return { context, page };
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    host = await startFakeAdminHost();
    host.seedRows(120);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  });

  after(async () => {
    await browser?.close();
    await host?.close();
  });

  it('switches the backend, copies the env, shows live rows and their detail, sets a key', async () => {
    const { context, page } = await open('light');
    await page.getByRole('button', { name: 'Moonshot' }).click();
    await page.locator('.active-chip', { hasText: 'Moonshot' }).waitFor();
    assert.ok(host.seen.includes('PUT /api/active'));
    assert.equal(host.state.active, 'moonshot');

    await page.getByRole('button', { name: 'Copy Claude Code env' }).click();
    await page.getByText('Copied').waitFor();
    assert.equal(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).navigator.clipboard.readText()), "export ANTHROPIC_BASE_URL='http://127.0.0.1:7420'\nexport ANTHROPIC_AUTH_TOKEN='pb-client-test'");

    await page.getByRole('link', { name: 'Log' }).click();
    await page.getByText('120 rows').waitFor();
    const playing = host.traffic(1, { durationMs: 1500 });
    await page.locator('.log-inflight').first().waitFor();
    await playing;
    await page.getByText('121 rows').waitFor();
    assert.equal(await page.locator('.log-inflight').count(), 0);
    await page.locator('.log-row[role=row]').nth(1).click();
    await page.getByText('Request as received').waitFor();
    await page.screenshot({ path: join(SHOTS, 'log-detail-light.png') });

    await page.getByRole('link', { name: 'Backends' }).click();
    const openrouter = page.getByRole('region', { name: 'Backend OpenRouter' });
    await openrouter.getByText('no key yet').waitFor();
    await openrouter.getByPlaceholder('Paste the key').fill('sk-or-test-key-7777');
    await openrouter.getByRole('button', { name: 'Set key' }).click();
    await openrouter.locator('.field-label', { hasText: 'set, ends in 7777' }).waitFor();
    assert.equal(await page.locator('input[type=password]').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value).join('')), '');
    await openrouter.getByRole('button', { name: 'Test' }).click();
    await openrouter.getByText('Works').waitFor();

    await page.getByRole('button', { name: 'Add backend' }).click();
    const form = page.getByRole('form', { name: 'Add a backend' });
    await form.getByLabel('Start from').selectOption('nim');
    assert.equal(await form.getByLabel('Id').inputValue(), 'nim-2');
    await form.getByLabel('Requests / min').fill('20');
    await page.screenshot({ path: join(SHOTS, 'backend-add-light.png') });
    await form.getByRole('button', { name: 'Add backend' }).click();
    const added = page.getByRole('region', { name: 'Backend nim-2' });
    await added.getByText('20/min').waitFor();
    await added.locator('.field-label', { hasText: 'no key yet' }).waitFor();
    await context.close();
    assert.deepEqual(problems, []);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`renders every panel in ${scheme} (screenshots in test-output/ui)`, async () => {
      const { context, page } = await open(scheme);
      for (const panel of PANELS) {
        await page.getByRole('link', { name: panel[0]!.toUpperCase() + panel.slice(1) }).click();
        await page.locator('main .stack, main .log-panel').first().waitFor();
        if (panel === 'agents') await page.getByText('Claude Code').first().waitFor();
        await page.screenshot({ path: join(SHOTS, `${panel}-${scheme}.png`) });
        const { violations } = await new AxeBuilder({ page }).analyze();
        for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
          problems.push(`axe ${panel} ${scheme}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
        }
      }
      await context.close();
      assert.deepEqual(problems, []);
    });
  }

  it('follows new rows at the top, but keeps the place of a reader who scrolled down', async () => {
    const { context, page } = await open('light', '#log');
    const scroller = page.locator('.log-scroller');
    await page.locator('.log-row[role=row]').first().waitFor();
    // The row at the top edge of the view, by its position in the virtual list.
    const topRow = () =>
      scroller.evaluate((el) => {
        const rows = [...el.querySelectorAll('[role=row]')] as unknown as Array<{ id: string; style: { transform: string } }>;
        const at = rows.find((r) => Number(/translateY\(([\d.]+)px\)/.exec(r.style.transform)?.[1]) === el.scrollTop);
        return { id: at?.id, scrollTop: el.scrollTop };
      });
    const newestBefore = await topRow();
    await host.traffic(2, { durationMs: 10 });
    await page.getByText(`${host.rowCount().toLocaleString('en')} rows`).waitFor();
    const following = await topRow();
    assert.equal(following.scrollTop, 0, 'at the top it follows');
    assert.notEqual(following.id, newestBefore.id, 'the newest row is shown at the top');

    await scroller.evaluate((el) => (el.scrollTop = 28 * 30));
    await page.waitForTimeout(100);
    const reading = await topRow();
    await host.traffic(3, { durationMs: 10 });
    await page.getByRole('button', { name: '3 new ↑' }).waitFor();
    const after = await topRow();
    assert.equal(after.id, reading.id, 'the row being read stays where it was');
    assert.equal(after.scrollTop, reading.scrollTop + 3 * 28);
    await page.getByRole('button', { name: '3 new ↑' }).click();
    assert.equal((await topRow()).scrollTop, 0);
    assert.equal(await page.getByRole('button', { name: /new ↑/ }).count(), 0);
    await context.close();
    assert.deepEqual(problems, []);
  });

  it('stays responsive with 10,000 rows: pages them in and scrolls to the end', async () => {
    host.seedRows(10_000 - host.rowCount());
    const { context, page } = await open('light', '#log');
    await page.getByText(/rows$/).waitFor();
    const started = Date.now();
    // Scroll to the end until every row is loaded (the log API pages 500 at a time).
    for (let i = 0; i < 40; i++) {
      const text = (await page.locator('.log-count').textContent()) ?? '';
      if (text.startsWith('10,000 rows')) break;
      await page.locator('.log-scroller').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await page.waitForTimeout(150);
    }
    assert.match((await page.locator('.log-count').textContent()) ?? '', /^10,000 rows/);
    const loadMs = Date.now() - started;
    // Time the frames while scrolling: a fast flick (10 rows a frame) over 300 frames, and
    // top-to-bottom jumps (100 rows a frame: every frame shows rows never shown before).
    const measure = (rowsPerFrame: number, frames: number) =>
      page.locator('.log-scroller').evaluate(
        async (el, { rowsPerFrame, frames }) => {
          // No named functions in here: tsx would wrap them in a helper the page does not have.
          const raf = (globalThis as unknown as BrowserGlobals).requestAnimationFrame;
          el.scrollTop = 0;
          await new Promise((r) => raf(() => r(null)));
          const step = rowsPerFrame === 0 ? el.scrollHeight / frames : rowsPerFrame * 28;
          const gaps: number[] = [];
          let last = performance.now();
          for (let i = 1; i <= frames; i++) {
            el.scrollTop = Math.min(el.scrollHeight, i * step);
            await new Promise((r) => raf(() => r(null)));
            const now = performance.now();
            gaps.push(now - last);
            last = now;
          }
          gaps.sort((a, b) => a - b);
          return { median: gaps[Math.floor(frames / 2)]!, p95: gaps[Math.floor(frames * 0.95)]!, max: gaps.at(-1)!, rowsInDom: el.querySelectorAll('[role=row]').length };
        },
        { rowsPerFrame, frames },
      );
    const flick = await measure(10, 300);
    const jumps = await measure(0, 100);
    const ms = (n: number) => n.toFixed(1);
    console.log(`# 10,000 rows paged in ${loadMs} ms; flick (10 rows/frame): median ${ms(flick.median)} ms, p95 ${ms(flick.p95)} ms, max ${ms(flick.max)} ms; jumps (100 rows/frame): median ${ms(jumps.median)} ms, p95 ${ms(jumps.p95)} ms; ${jumps.rowsInDom} rows in the DOM`);
    // The frame times are printed, not asserted (speed belongs to benchmarks, and npm test shares
    // 2 cores with other browsers and agents): what must hold is that the table is virtualised.
    assert.ok(jumps.rowsInDom < 120, `virtualised: ${jumps.rowsInDom} rows in the DOM`);
    await page.locator('.log-row[role=row]').last().waitFor();
    await context.close();
    assert.deepEqual(problems, []);
  });
});
