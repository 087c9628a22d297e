/**
 * `npx patchbay serve` runs the server as node <- sh -c <- npm exec. Killing the npm process
 * (what a terminal, a script or a supervisor does to the command it started) must stop the
 * server and release its port, with SIGTERM and with SIGKILL. Real npx, real sockets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listeningUrl } from '../../helpers/listening-url';
import { portAccepts } from '../../helpers/port-accepts';
import { descendantsOf } from '../../helpers/process-tree';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

const ROOT = join(import.meta.dirname, '..', '..', '..');

async function waitUntilClosed(port: number, withinMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if (!(await portAccepts(port))) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

async function startThroughNpx(dir: string): Promise<{ npxPid: number; port: number; output: () => string }> {
  const child = spawn('npx', ['--no-install', 'patchbay', 'serve', '--port', '0', '--data-dir', join(dir, 'data')], {
    cwd: ROOT,
    env: { ...process.env, HOME: dir, PATCHBAY_KEYCHAIN_SERVICE: 'patchbay-test-npx', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { url, output } = await listeningUrl(child, 'npx patchbay serve', 60_000);
  return { npxPid: child.pid!, port: Number(new URL(url).port), output };
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(`${signal} to the npx process stops the server and releases its port`, async (t) => {
    // npx caches its own state under HOME/.npm: a temp HOME keeps it out of the user's.
    const dir = makeTempDir('npx');
    const { npxPid, port, output } = await startThroughNpx(dir);
    const tree = descendantsOf(npxPid);
    t.diagnostic(`process tree under npx ${npxPid}: ${tree.map((p) => `${p} ${readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').slice(0, 2).join(' ')}`).join('; ')}`);
    const fallback = /patchbay: (.*); running the TypeScript sources through tsx/.exec(output());
    t.diagnostic(fallback ? `ran the TypeScript sources: ${fallback[1]}` : 'ran the built bundle (dist/)');
    try {
      assert.equal(await portAccepts(port), true, 'the server accepts connections before the kill');
      process.kill(npxPid, signal);
      const closedAfterMs = await waitUntilClosed(port, 5000);
      assert.notEqual(closedAfterMs, undefined, `port ${port} still accepts connections 5 s after ${signal} to npx (pid ${npxPid}): an orphan server; output:\n${output()}`);
      t.diagnostic(`port released ${closedAfterMs} ms after ${signal}`);
    } finally {
      for (const pid of tree) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      removeTempDirs(dir);
    }
  });
}
