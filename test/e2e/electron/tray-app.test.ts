/**
 * The desktop app end to end, in the real Electron binary through Playwright's `_electron`:
 * it starts (temp userData and HOME, two fake upstreams), the tray exists, the popover opens
 * on our page, a backend switch made through the tray menu's own click handler reaches the
 * engine (and the next model call goes to the other upstream), and quitting releases the port.
 * The app exposes its test hook (main/app/e2e-hook.ts) only under PATCHBAY_E2E=1.
 *
 * Electron's binary cannot be downloaded in CI (ELECTRON_SKIP_BINARY_DOWNLOAD): the test then
 * says exactly why it did not run.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { startFakeMoonshot } from '../../fakes/fake-moonshot';
import { startFakeNim } from '../../fakes/fake-nim';
import { portAccepts } from '../../helpers/port-accepts';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';
import type { E2eHook } from '../../../main/app/e2e-hook';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function electronBinary(): { path?: string; why?: string } {
  const dist = join(ROOT, 'node_modules', 'electron', 'dist');
  if (!existsSync(dist)) return { why: 'node_modules/electron/dist is missing (the electron package was installed without its binary)' };
  try {
    const path = createRequire(join(ROOT, 'package.json'))('electron') as string;
    return existsSync(path) ? { path } : { why: `node_modules/electron/dist has no ${path}` };
  } catch (err) {
    return { why: `node_modules/electron is incomplete (${(err as Error).message.split('\n')[0]})` };
  }
}

function which(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, cmd)));
}

const binary = electronBinary();
const needsXvfb = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skip = !binary.path
  ? `Electron binary not installed: ${binary.why}; it is downloaded by \`node node_modules/electron/install.js\` (not possible with ELECTRON_SKIP_BINARY_DOWNLOAD or without network)`
  : needsXvfb && !which('Xvfb')
    ? 'no display: DISPLAY and WAYLAND_DISPLAY are unset and Xvfb is not installed (apt-get install xvfb)'
    : false;

async function until<T>(what: string, probe: () => Promise<T | undefined>, withinMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() - started > withinMs) throw new Error(`timed out after ${withinMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A hook member, read or called in Electron's main process (the global set by main/app/e2e-hook.ts). */
function hook<K extends keyof E2eHook>(app: ElectronApplication, member: K, arg?: string): Promise<E2eHook[K] extends (...a: never[]) => infer R ? Awaited<R> : E2eHook[K]> {
  return app.evaluate(
    (_electron, [name, a]) => {
      const h = (globalThis as Record<string, unknown>).__patchbayE2E as Record<string, unknown> | undefined;
      if (!h) return undefined;
      const value = h[name];
      return typeof value === 'function' ? (value as (x?: string) => unknown)(a) : value;
    },
    [member, arg] as const,
  ) as never;
}

test('tray app: starts, tray exists, popover opens, a tray-menu switch reaches the engine, quit releases the port', { skip, timeout: 240_000 }, async (t) => {
  const build = spawnSync(process.execPath, ['scripts/build-main.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  if (!existsSync(join(ROOT, 'dist/ui/index.html'))) {
    const ui = spawnSync('npx', ['vite', 'build', 'renderer'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(ui.status, 0, ui.stderr);
  }
  const dir = makeTempDir('electron-e2e');
  const userData = join(dir, 'user-data');
  mkdirSync(userData, { recursive: true });
  const nim = await startFakeNim({ key: 'nvapi-e2e-electron-000111' });
  const moonshot = await startFakeMoonshot({ key: 'sk-e2e-electron-000222' });
  writeFileSync(
    join(userData, 'config.json'),
    JSON.stringify({
      active: 'nim',
      backends: [
        { id: 'nim', name: 'Fake NIM', format: 'openai', baseUrl: nim.url, apiKey: 'env:PB_E2E_NIM_KEY', model: 'moonshotai/kimi-k2.6' },
        { id: 'moonshot', name: 'Fake Moonshot', format: 'anthropic', baseUrl: moonshot.url, apiKey: 'env:PB_E2E_MOONSHOT_KEY', model: 'kimi-k2.6' },
      ],
    }),
  );
  let xvfb: ChildProcess | undefined;
  const display: Record<string, string> = {};
  if (needsXvfb) {
    xvfb = spawn('Xvfb', [':97', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    display.DISPLAY = ':97';
    await new Promise((r) => setTimeout(r, 500));
  }
  let app: ElectronApplication | undefined;
  try {
    app = await electron.launch({
      executablePath: binary.path!,
      args: [ROOT],
      cwd: ROOT,
      env: {
        ...(process.env as Record<string, string>),
        ...display,
        HOME: dir,
        PATCHBAY_USER_DATA_DIR: userData,
        PATCHBAY_PORT: '0',
        PATCHBAY_E2E: '1',
        // CI has no StatusNotifier host: the Tray is still created, which is what is tested here.
        PATCHBAY_TRAY: 'on',
        PATCHBAY_KEYCHAIN_SERVICE: 'patchbay-test-electron-e2e',
        PB_E2E_NIM_KEY: nim.key,
        PB_E2E_MOONSHOT_KEY: moonshot.key,
      },
    });
    const launched = app;
    const url = await until('the test hook', () => hook(launched, 'url'));
    const port = Number(new URL(url).port);
    assert.equal(await portAccepts(port), true);

    assert.equal(await hook(app, 'trayExists'), true, 'the tray icon exists');
    const items = await until('the tray menu', async () => {
      const list = await hook(launched, 'trayMenuItems');
      return list.some((i) => i.type === 'radio') ? list : undefined;
    });
    t.diagnostic(`tray menu: ${items.map((i) => `${i.type}:${i.label}${i.checked ? ' (checked)' : ''}`).join(' | ')}`);
    const radios = items.filter((i) => i.type === 'radio');
    assert.equal(radios.length, 2);
    assert.ok(radios.find((i) => i.checked)?.label.startsWith('Fake NIM'), 'the active backend is the checked radio item');

    await hook(app, 'openPopover');
    await until('the popover', async () => ((await hook(launched, 'popoverVisible')) ? true : undefined));
    const popoverUrl = await until('the popover page', async () => (await hook(launched, 'popoverUrl')) || undefined);
    assert.match(popoverUrl, /^app:\/\/patchbay\//);

    const target = radios.find((i) => !i.checked)!.label;
    assert.equal(await hook(app, 'clickTrayMenuItem', target), true);
    await until('the switch to moonshot', async () => ((await hook(launched, 'activeBackend')) === 'moonshot' ? true : undefined));

    // The next model call goes to the backend chosen in the tray.
    const token = await hook(app, 'clientToken');
    const before = moonshot.requests.length;
    const reply = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': token, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(reply.status, 200, await reply.text());
    assert.equal(moonshot.requests.length, before + 1);

    const exited = new Promise<number | null>((resolve) => launched.process().once('exit', (code) => resolve(code)));
    // The app may exit before the evaluation answers: the exit itself is the check.
    await hook(app, 'clickTrayMenuItem', 'Quit Patchbay').catch(() => undefined);
    assert.equal(await exited, 0, 'the app exits 0 after closing the engine');
    assert.equal(await portAccepts(port), false, `port ${port} is released`);
    app = undefined;
  } finally {
    await app?.close().catch(() => undefined);
    xvfb?.kill('SIGTERM');
    await nim.close();
    await moonshot.close();
    removeTempDirs(dir);
  }
});
