/**
 * `patchbay serve --config FILE` with a FILE that does not exist (a typo) is an error naming the
 * path and `--init`, exit 2, and nothing is created; with `--init` the file is created from the
 * presets and the proxy serves. Real `patchbay serve` processes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '../../helpers/run-process';
import { listeningUrl } from '../../helpers/listening-url';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SERVE = ['--import', 'tsx', 'app/cli/main.ts', 'serve'];

function envFor(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...(process.env.DBUS_SESSION_BUS_ADDRESS ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } : {}) };
}

test('a missing --config file is an error (exit 2) naming the path and --init; nothing is created', { timeout: 60_000 }, async () => {
  const dir = makeTempDir('config-missing');
  try {
    const path = join(dir, 'confg.json');
    const run = await runProcess(process.execPath, [...SERVE, '--config', path, '--port', '0', '--data-dir', join(dir, 'data')], {
      cwd: ROOT,
      env: envFor(dir),
      timeoutMs: 30_000,
    });
    assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
    assert.ok(run.stderr.includes(path), run.stderr);
    assert.match(run.stderr, /does not exist.*--init/s);
    assert.equal(existsSync(path), false, 'the mistyped path was not created');
    assert.doesNotMatch(run.stdout, /listening/);
  } finally {
    removeTempDirs(dir);
  }
});

test('--init creates the missing --config file (and its directory) from the presets and serves', { timeout: 60_000 }, async () => {
  const dir = makeTempDir('config-init');
  const path = join(dir, 'new', 'patchbay.json');
  const child = spawn(process.execPath, [...SERVE, '--config', path, '--init', '--port', '0', '--data-dir', join(dir, 'data')], {
    cwd: ROOT,
    env: envFor(dir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const { url } = await listeningUrl(child, 'patchbay serve --init', 30_000);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const config = JSON.parse(readFileSync(path, 'utf8')) as { backends: Array<{ id: string }> };
    assert.deepEqual(config.backends.map((b) => b.id).sort(), ['moonshot', 'moonshot-openai', 'nim']);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    removeTempDirs(dir);
  }
});
