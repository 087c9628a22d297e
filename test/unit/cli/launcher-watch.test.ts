// Which parent processes `patchbay serve` watches (only npm's, directly or through `sh -c`),
// and that the watch fires once when one of them exits or its pid is reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNpmProcess, npmLauncherChain, watchLauncher, type ProcessInfo } from '../../../app/cli/launcher-watch';

const proc = (pid: number, ppid: number, cmdline: string[], startTime = '100'): ProcessInfo => ({ pid, ppid, state: 'S', startTime, cmdline });
const table = (...ps: ProcessInfo[]) => (pid: number) => ps.find((p) => p.pid === pid);

test('npm is recognised by its process title or its cli script', () => {
  assert.ok(isNpmProcess(['npm exec patchbay serve --port 0']));
  assert.ok(isNpmProcess(['npm run serve']));
  assert.ok(isNpmProcess(['/usr/bin/node', '/usr/lib/node_modules/npm/bin/npx-cli.js', 'patchbay']));
  assert.ok(isNpmProcess(['node', '/usr/bin/npm', 'exec']));
  assert.ok(!isNpmProcess(['-bash']));
  assert.ok(!isNpmProcess(['node', '/work/bin/patchbay.js', 'serve']));
  assert.ok(!isNpmProcess(['npmx']));
});

test('npx: the shell and npm above it are watched', () => {
  const read = table(proc(30, 20, ['node', 'bin/patchbay.js', 'serve']), proc(20, 10, ['sh', '-c', "'patchbay' serve"]), proc(10, 1, ['npm exec patchbay serve']));
  assert.deepEqual(npmLauncherChain(read, 30).map((p) => p.pid), [20, 10]);
});

test('npm as the direct parent is watched', () => {
  const read = table(proc(30, 10, ['node', 'bin/patchbay.js']), proc(10, 1, ['npm run serve']));
  assert.deepEqual(npmLauncherChain(read, 30).map((p) => p.pid), [10]);
});

test('a server started from a shell, nohup or a service manager watches nothing', () => {
  assert.deepEqual(npmLauncherChain(table(proc(30, 20, ['node', 'bin/patchbay.js']), proc(20, 1, ['-bash'])), 30), []);
  assert.deepEqual(npmLauncherChain(table(proc(30, 20, ['node', 'x']), proc(20, 1, ['sh', '-c', 'patchbay serve']), proc(1, 0, ['/sbin/init'])), 30), []);
  assert.deepEqual(npmLauncherChain(table(proc(30, 1, ['node', 'x']), proc(1, 0, ['/lib/systemd/systemd'])), 30), []);
  assert.deepEqual(npmLauncherChain(() => undefined, 30), [], 'no /proc (not Linux)');
});

test('the watch fires once when a launcher exits, becomes a zombie, or its pid is reused', async () => {
  const npm = proc(10, 1, ['npm exec patchbay']);
  for (const after of [undefined, { ...npm, state: 'Z' }, { ...npm, startTime: '999' }]) {
    let now: ProcessInfo | undefined = npm;
    const gone: number[] = [];
    const stop = watchLauncher([npm], (p) => gone.push(p.pid), { intervalMs: 5, read: () => now });
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(gone, [], 'alive: nothing fired');
    now = after;
    await new Promise((r) => setTimeout(r, 40));
    stop();
    assert.deepEqual(gone, [10]);
  }
});
