/**
 * The tray menu's actions against a real engine (app/runtime, not listening): a switch and a
 * pause reach the engine's state, the copied env is the engine's Claude Code env for the
 * proxy URL, launch at login flips and the menu is redrawn, open and quit reach the shell.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type Engine } from '../../../../app/runtime/engine';
import { runTrayAction, type TrayActionDeps } from '../../../../main/app/tray-actions';
import { makeTempDir, removeTempDirs } from '../../../helpers/temp-dirs';

let dir: string;
let engine: Engine;

before(async () => {
  dir = makeTempDir('tray-actions');
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      active: 'a',
      backends: [
        { id: 'a', format: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'env:PB_TRAY_A', model: 'm-a' },
        { id: 'b', format: 'anthropic', baseUrl: 'http://127.0.0.1:9', apiKey: 'env:PB_TRAY_B', model: 'm-b' },
      ],
    }),
  );
  engine = await startEngine({ dataDir: dir, env: { PB_TRAY_A: 'key-a-0123456789', PB_TRAY_B: 'key-b-0123456789' }, keychainService: `patchbay-test-tray-actions-${randomBytes(4).toString('hex')}` });
});

after(async () => {
  await engine.close();
  removeTempDirs(dir);
});

function deps(overrides: Partial<TrayActionDeps> = {}): TrayActionDeps & { calls: string[]; clipboard: string[] } {
  const calls: string[] = [];
  const clipboard: string[] = [];
  let login = false;
  return {
    calls,
    clipboard,
    api: engine.api,
    proxyUrl: 'http://127.0.0.1:7420',
    writeClipboard: (text) => clipboard.push(text),
    launchAtLogin: { get: () => login, set: (on) => void (login = on) },
    openMainWindow: () => calls.push('open'),
    quit: () => calls.push('quit'),
    redraw: () => calls.push('redraw'),
    ...overrides,
  };
}

test('switch: the engine serves the chosen backend next', async () => {
  await runTrayAction({ kind: 'switch', backend: 'b' }, deps());
  assert.equal((await engine.api.getState()).active, 'b');
  await runTrayAction({ kind: 'switch', backend: 'a' }, deps());
  assert.equal((await engine.api.getState()).active, 'a');
});

test('switch to a backend that is gone: the engine refuses and the error reaches the caller', async () => {
  await assert.rejects(runTrayAction({ kind: 'switch', backend: 'nope' }, deps()), /nope/);
  assert.equal((await engine.api.getState()).active, 'a');
});

test('copy Claude Code env: the engine text for the proxy URL goes to the clipboard', async () => {
  const d = deps();
  await runTrayAction({ kind: 'copy-claude-env' }, d);
  assert.equal(d.clipboard.length, 1);
  assert.match(d.clipboard[0]!, /^export ANTHROPIC_BASE_URL='http:\/\/127\.0\.0\.1:7420'$/m);
  assert.ok(d.clipboard[0]!.includes(engine.clientToken()), 'the env carries the client token');
});

test('pause and resume reach the engine state', async () => {
  await runTrayAction({ kind: 'pause' }, deps());
  assert.equal((await engine.api.getState()).paused, true);
  await runTrayAction({ kind: 'resume' }, deps());
  assert.equal((await engine.api.getState()).paused, false);
});

test('launch at login flips the setting and redraws; where unsupported nothing is set', async () => {
  const d = deps();
  await runTrayAction({ kind: 'toggle-launch-at-login' }, d);
  assert.equal(d.launchAtLogin.get(), true);
  await runTrayAction({ kind: 'toggle-launch-at-login' }, d);
  assert.equal(d.launchAtLogin.get(), false);
  assert.deepEqual(d.calls, ['redraw', 'redraw']);
  const unsupported = deps({ launchAtLogin: { get: () => null, set: () => assert.fail('not supported here') } });
  await runTrayAction({ kind: 'toggle-launch-at-login' }, unsupported);
});

test('open and quit go to the shell', async () => {
  const d = deps();
  await runTrayAction({ kind: 'open' }, d);
  await runTrayAction({ kind: 'quit' }, d);
  assert.deepEqual(d.calls, ['open', 'quit']);
});
