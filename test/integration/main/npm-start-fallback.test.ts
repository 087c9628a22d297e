/**
 * `npm start` where Electron's binary is not installed (as in CI: ELECTRON_SKIP_BINARY_DOWNLOAD):
 * one line says why, then the same engine runs headless and answers on its port; stopping npm
 * releases the port. Real npm, real sockets, a temp HOME and data dir, a test keychain service.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { portAccepts } from '../../helpers/port-accepts';
import { descendantsOf } from '../../helpers/process-tree';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ONE_LINE =
  `patchbay: Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD is set): starting Patchbay headless; open the dashboard with the "Dashboard:" link below`;

test('npm start without the Electron binary: one line says why, the headless engine answers, stopping npm releases the port', { timeout: 180_000 }, async (t) => {
  const dir = makeTempDir('npm-start');
  const dataDir = join(dir, 'app-data');
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOME: dir,
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      PATCHBAY_USER_DATA_DIR: dataDir,
      PATCHBAY_PORT: '0',
      PATCHBAY_KEYCHAIN_SERVICE: 'patchbay-test-npm-start',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let output = '';
  let tree: number[] = [];
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not listen within 150 s:\n${output}`)), 150_000);
      const onData = (d: Buffer, isStdout: boolean) => {
        output += d.toString('utf8');
        if (isStdout) stdout += d.toString('utf8');
        // The whole banner is one write: wait for its last line.
        const m = /Patchbay listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*OpenAI-format agents/.exec(stdout);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout.on('data', (d: Buffer) => onData(d, true));
      child.stderr.on('data', (d: Buffer) => onData(d, false));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${code ?? signal}) before listening:\n${output}`));
      });
    });
    tree = descendantsOf(child.pid!);

    // Exactly one line about the missing binary, and it comes first.
    assert.equal(stdout.split('\n')[0], ONE_LINE, output);
    assert.equal(output.split(ONE_LINE).length - 1, 1, 'said once');
    assert.equal(output.split('\n').filter((l) => /Electron/.test(l)).length, 1, `one line about Electron only:\n${output}`);

    // The headless engine: the dashboard link, the models route with the client token (and not without).
    assert.match(stdout, new RegExp(`Dashboard: ${url}/\\?login=\\S+`));
    const token = /API key (pb-client-\S+)/.exec(stdout)?.[1];
    assert.ok(token, stdout);
    const models = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(models.status, 200);
    const body = (await models.json()) as { data?: unknown[] };
    assert.ok(Array.isArray(body.data) && body.data.length > 0, JSON.stringify(body));
    assert.equal((await fetch(`${url}/v1/models`)).status, 401);
    // With the test run's private keyring (scripts/run-tests.mjs), tokens live in the keychain as in the app.
    if (process.env.PATCHBAY_TEST_DBUS === '1') assert.doesNotMatch(output, /OS keychain unavailable/, output);
    // The same app-data folder the desktop app uses holds its config.
    assert.ok(existsSync(join(dataDir, 'config.json')), `no config in ${dataDir}`);

    const port = Number(new URL(url).port);
    assert.equal(await portAccepts(port), true);
    child.kill('SIGTERM');
    const started = Date.now();
    while (Date.now() - started < 10_000 && (await portAccepts(port))) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await portAccepts(port), false, `port ${port} still open 10 s after SIGTERM to npm:\n${output}`);
    t.diagnostic(`port released ${Date.now() - started} ms after SIGTERM to npm`);
  } finally {
    for (const pid of [child.pid!, ...tree]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    removeTempDirs(dir);
  }
});
