#!/usr/bin/env node
// `npm start`: the desktop app. Builds what is stale (the Electron main process and preload,
// the UI, the engine bundle), then launches Electron on this folder. Where Electron's binary is
// not installed (ELECTRON_SKIP_BINARY_DOWNLOAD at install time, or no network then), it tries
// the download once, quietly; if the binary is still missing it says so in one line and runs
// the same engine headless in this process (`patchbay serve`, which prints the dashboard link),
// so the command always gives a working Patchbay.
//
// PATCHBAY_PORT and PATCHBAY_USER_DATA_DIR mean the same in both modes; arguments after `--`
// go to `patchbay serve` in the headless mode (`npm start -- --port 0`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const INSTALL_TIMEOUT_MS = 120_000;

/** Newest modification time of the files under `paths` (0 when none). */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (path) => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules' && !name.startsWith('.')) visit(join(path, name));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of paths) visit(resolve(root, p));
  return newest;
}

/** True when `output` is missing or older than any of `inputs`. */
export function isStale(output, inputs) {
  let built;
  try {
    built = statSync(resolve(root, output)).mtimeMs;
  } catch {
    return true;
  }
  return newestMtime(inputs) > built;
}

/** The Electron executable when it is installed, else undefined. */
export function electronBinary() {
  try {
    const path = createRequire(join(root, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Electron's `appData`/Patchbay, the folder main/main.ts uses: the same config in both modes. */
export function appDataDir(env = process.env, platform = process.platform) {
  if (env.PATCHBAY_USER_DATA_DIR?.trim()) return env.PATCHBAY_USER_DATA_DIR;
  const home = env.HOME || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Patchbay');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Patchbay');
  return join(env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config'), 'Patchbay');
}

/** One try at Electron's own install script (it downloads the binary); quiet, bounded. */
function tryInstallElectron() {
  const script = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(script)) return 'the electron package is not installed (npm install)';
  const r = spawnSync(process.execPath, [script], { cwd: root, stdio: 'pipe', timeout: INSTALL_TIMEOUT_MS, encoding: 'utf8' });
  if (r.error?.code === 'ETIMEDOUT') return `its download did not finish within ${INSTALL_TIMEOUT_MS / 1000} s`;
  if (r.status === 0 && electronBinary()) return undefined;
  const lastLine = `${r.stderr ?? ''}`.split('\n').find((l) => /error/i.test(l))?.trim();
  return `its download failed${lastLine ? `: ${lastLine.slice(0, 160)}` : ''}`;
}

function run(label, cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status ?? r.signal})`);
}

/** The UI (dist/ui): both modes serve it. */
function buildUiIfStale() {
  if (isStale('dist/ui/index.html', ['renderer', 'app/api/contract.ts'])) run('building the UI', process.execPath, [join(root, 'scripts/build-ui.mjs')]);
}

async function startDesktop(electron, args) {
  if (isStale('dist/main/main.cjs', ['main', 'app', 'scripts/build-main.mjs', 'package-lock.json'])) {
    const { buildMain } = await import('./build-main.mjs');
    await buildMain();
  }
  buildUiIfStale();
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electron, [root, ...args], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function startHeadless(why, args) {
  const env = process.env;
  const dataDir = appDataDir(env);
  console.log(`patchbay: Electron's binary is not installed (${why}): starting Patchbay headless; open the dashboard with the "Dashboard:" link below`);
  buildUiIfStale();
  const { whyBuildUnusable } = await import('./build-fingerprint.mjs');
  if (whyBuildUnusable(root) !== undefined) {
    const { buildBundle } = await import('./build.mjs');
    await buildBundle().catch(() => undefined); // bin/patchbay.js falls back to the sources and says so
  }
  const serveArgs = ['serve', ...(env.PATCHBAY_PORT ? ['--port', env.PATCHBAY_PORT] : []), ...(args.includes('--data-dir') ? [] : ['--data-dir', dataDir]), ...args];
  // The server runs in this process: signals and the exit code are its own.
  process.argv = [process.argv[0], join(root, 'bin/patchbay.js'), ...serveArgs];
  await import('../bin/patchbay.js');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let electron = electronBinary();
  let why;
  if (!electron) {
    why = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' : tryInstallElectron();
    electron = electronBinary();
  }
  if (electron) await startDesktop(electron, args);
  else await startHeadless(why ?? 'node_modules/electron/dist is missing', args);
}
