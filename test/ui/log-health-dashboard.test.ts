/**
 * Issue 11 in the built dashboard (dist/ui) in Chromium against the real engine: a request cut off
 * by an earlier kill (its start line in the log, no end) is a 'halted' row that the
 * 'interrupted' filter finds; when the log's file becomes /dev/full (ENOSPC from the kernel) the
 * Overview and the Log show an alert while model calls still answer 200, and it goes away once
 * the file is back. Skipped, with the reason printed, when dist/ui, Chromium or /dev/full is missing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { chromiumMissing } from '../helpers/chromium';
import { useChromiumOnEngine } from '../helpers/chromium-on-engine';
import { UI_DIR } from './fake-admin-host';

const SHOTS = resolve(import.meta.dirname, '../../test-output/ui');
const missing = !existsSync(join(UI_DIR, 'index.html'))
  ? 'dist/ui is not built (run `npm run build:ui`)'
  : (chromiumMissing() ?? (!existsSync('/dev/full') ? 'no /dev/full (the disk-full case needs it)' : undefined));
if (missing) console.log(`# dashboard log health skipped: ${missing}`);

describe('dashboard: interrupted requests and a failing request log', { skip: missing }, () => {
  const logs = (dir: string) => join(dir, 'data', 'logs');
  const ui = useChromiumOnEngine({
    tempDirName: 'log-health-ui',
    uiDir: UI_DIR,
    prepare(dir) {
      // What a kill left behind: a request that started (its start line) and never ended.
      mkdirSync(logs(dir), { recursive: true });
      const start = { kind: 'start', id: 'req_killed_earlier', time: new Date(Date.now() - 60_000).toISOString(), agent: 'claude-code', inboundFormat: 'anthropic', path: '/v1/messages', backend: 'nim', modelRequested: 'claude-sonnet-4-5', modelUsed: 'moonshotai/kimi-k2.6', streamed: true, bytesIn: 120 };
      writeFileSync(join(logs(dir), 'requests-1.ndjson'), `${JSON.stringify(start)}\n`);
    },
  });

  it('shows the interrupted request, and an alert while the log cannot be written', async () => {
    const { browser, rig, dir } = ui;
    const { engine, url, ask } = rig;
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(engine.dashboardLoginUrl(url));
    await page.getByText('Connected').waitFor();
    assert.equal(await ask(), 200);

    await page.getByRole('link', { name: 'Log' }).click();
    await page.getByText('2 rows').waitFor();
    const stopped = page.locator('.log-row[role=row]', { hasText: 'halted' });
    await stopped.waitFor();
    assert.equal(await stopped.locator('[role=gridcell]').nth(2).textContent(), 'nim');
    assert.equal(await stopped.locator('[role=gridcell]').nth(4).getAttribute('title'), 'interrupted: Patchbay stopped before this request finished');
    await page.getByLabel('Status').selectOption('interrupted');
    await page.getByText('1 of 2').waitFor();
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'log-interrupted-light.png') });
    await page.getByLabel('Status').selectOption('');

    // The disk fills up under the running engine.
    const file = join(logs(dir), 'requests-1.ndjson');
    await new Promise((r) => setTimeout(r, 100)); // the request's line is on disk
    renameSync(file, `${file}.saved`);
    symlinkSync('/dev/full', file);
    await new Promise((r) => setTimeout(r, 1200)); // past the writer's check that the path is its file
    assert.equal(await ask(), 200, 'model calls still answer');
    const alert = page.getByRole('alert').filter({ hasText: 'The request log cannot be written' });
    await alert.waitFor({ timeout: 10_000 });
    assert.match((await alert.textContent()) ?? '', /ENOSPC|no space/i);
    await page.getByRole('link', { name: 'Overview' }).click();
    await alert.waitFor();
    await page.screenshot({ path: join(SHOTS, 'overview-log-failing-light.png') });

    rmSync(file);
    renameSync(`${file}.saved`, file);
    await alert.waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual(problems, []);
    await context.close();
  });
});
