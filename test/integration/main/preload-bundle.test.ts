/**
 * The preload as the window runs it: bundled to CommonJS with electron left external (as
 * scripts/build-main.mjs does), then run in a fresh VM context the way a sandboxed preload is
 * (a `require` that knows only electron). It must require nothing else, expose exactly one
 * world key, `patchbay`, with call / subscribe / platform, and talk on our channels only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { IpcChannel } from '../../../main/shared/ipc-channels';
import { FakeIpcMain, FakeWindow } from '../../unit/main/ipc/helpers/electron-ipc-pair';

const entry = resolve(import.meta.dirname, '../../../main/preload/preload.ts');

test('the bundled preload requires only electron and exposes only window.patchbay', async () => {
  const out = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', external: ['electron'], write: false, logLevel: 'silent' });
  const code = out.outputFiles[0]!.text;
  assert.ok(code.length < 20_000, `the preload stays small (${code.length} bytes)`);

  const window = new FakeWindow(new FakeIpcMain(), 1, 'app://patchbay/index.html');
  const invoked: string[] = [];
  const ipcRenderer = {
    invoke: (channel: string, ...args: unknown[]) => (invoked.push(channel), window.ipcRenderer.invoke(channel, ...args)),
    on: window.ipcRenderer.on.bind(window.ipcRenderer),
    removeListener: window.ipcRenderer.removeListener.bind(window.ipcRenderer),
    send: () => assert.fail('the preload never uses send'),
    sendSync: () => assert.fail('the preload never uses sendSync'),
  };
  const exposed = new Map<string, unknown>();
  const required: string[] = [];
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`module not found: ${name}`);
    return { contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) }, ipcRenderer };
  };
  const module = { exports: {} };
  runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, process: { platform: 'linux' } });

  assert.deepEqual(required, ['electron']);
  assert.deepEqual([...exposed.keys()], ['patchbay']);
  const api = exposed.get('patchbay') as { call: (c: string) => Promise<unknown>; subscribe: (l: () => void) => () => void; platform: string };
  assert.deepEqual([...Object.keys(api)].sort(), ['call', 'platform', 'subscribe']);
  assert.equal(api.platform, 'linux');

  const answer = JSON.parse(JSON.stringify(await api.call('getState'))) as unknown; // from the VM's realm
  assert.deepEqual(answer, { ok: false, offline: true, error: { code: 'unavailable', message: 'Patchbay’s engine is not answering (the app may be shutting down).' } });
  const off = api.subscribe(() => undefined);
  off();
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(invoked, [IpcChannel.Call, IpcChannel.Subscribe, IpcChannel.Unsubscribe]);
  assert.ok(invoked.every((c) => Object.values(IpcChannel).includes(c as IpcChannel)));
});
