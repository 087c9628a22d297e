/**
 * The preload's API (what the window gets as `window.patchbay`) over an Electron-like IPC pair
 * and a real IPC host: only call / subscribe / platform are exposed; listeners get the event
 * alone (never the IpcRendererEvent, which carries the sender); the event channel is followed
 * only while someone listens; nothing rejects into the page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminApi, AdminEvent } from '../../../../app/api/contract';
import { setupIpcHost } from '../../../../main/ipc/ipc-host';
import { createPreloadApi } from '../../../../main/preload/preload-api';
import { IpcChannel } from '../../../../main/shared/ipc-channels';
import { FakeIpcMain, FakeWindow } from '../ipc/helpers/electron-ipc-pair';

/** The IPC host over an API whose events the test pushes (the engine's come from real traffic). */
function rig() {
  const ipcMain = new FakeIpcMain();
  const window = new FakeWindow(ipcMain, 1, 'app://patchbay/index.html');
  const listeners = new Set<(e: AdminEvent) => void>();
  const api = {
    getState: async () => {
      throw new Error('not in this test');
    },
    subscribe(listener: (e: AdminEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as AdminApi;
  const dispose = setupIpcHost({ ipcMain, api, isOwnSender: (e) => e.sender.id === 1, baseUrl: () => 'http://127.0.0.1:1' });
  const invokes: string[] = [];
  const invoke = window.ipcRenderer.invoke.bind(window.ipcRenderer);
  window.ipcRenderer.invoke = (channel, ...args) => {
    invokes.push(channel);
    return invoke(channel, ...args);
  };
  const push = (e: AdminEvent) => {
    for (const l of [...listeners]) l(e);
  };
  return { ipcMain, window, listeners, dispose, invokes, push };
}

const stats = (time: string): AdminEvent => ({ type: 'stats', data: { time, backends: [] } });
const settle = () => new Promise((r) => setTimeout(r, 20));

test('exposes call, subscribe and platform only', () => {
  const { window, dispose } = rig();
  const api = createPreloadApi(window.ipcRenderer, 'linux');
  assert.deepEqual(Object.keys(api).sort(), ['call', 'platform', 'subscribe']);
  assert.equal(api.platform, 'linux');
  dispose();
});

test('listeners get the event alone; the event channel is followed from the first listener to the last', async () => {
  const { window, listeners, dispose, invokes, push } = rig();
  const api = createPreloadApi(window.ipcRenderer, 'linux');
  const seenA: unknown[][] = [];
  const seenB: unknown[][] = [];
  assert.equal(window.ipcRenderer.listenerCount(IpcChannel.Event), 0);
  const offA = api.subscribe((...args: unknown[]) => seenA.push(args));
  const offB = api.subscribe((...args: unknown[]) => seenB.push(args));
  await settle();
  assert.deepEqual(invokes, [IpcChannel.Subscribe], 'one host subscription for the window');
  assert.equal(listeners.size, 1);
  assert.equal(window.ipcRenderer.listenerCount(IpcChannel.Event), 1);

  push(stats('t1'));
  await settle();
  assert.deepEqual(seenA, [[stats('t1')]], 'exactly one argument: the event');
  assert.deepEqual(seenB, [[stats('t1')]]);

  offA();
  offA(); // twice is harmless, and does not remove B
  push(stats('t2'));
  await settle();
  assert.equal(seenA.length, 1);
  assert.equal(seenB.length, 2);
  offB();
  await settle();
  assert.deepEqual(invokes, [IpcChannel.Subscribe, IpcChannel.Unsubscribe]);
  assert.equal(listeners.size, 0, 'the host released the API subscription');
  assert.equal(window.ipcRenderer.listenerCount(IpcChannel.Event), 0);
  dispose();
});

test('the same function subscribed twice is two subscriptions; a throwing listener does not starve the next', async () => {
  const { window, dispose, push } = rig();
  const api = createPreloadApi(window.ipcRenderer, 'linux');
  const seen: string[] = [];
  const listener = (e: AdminEvent) => seen.push(e.type);
  api.subscribe(() => {
    throw new Error('a broken view');
  });
  const off1 = api.subscribe(listener);
  api.subscribe(listener);
  await settle();
  off1();
  push(stats('t'));
  await settle();
  assert.deepEqual(seen, ['stats']);
  dispose();
});

test('nothing rejects into the page: an uncloneable input, a failing handler, no host at all', async () => {
  const { window, ipcMain, dispose } = rig();
  const api = createPreloadApi(window.ipcRenderer, 'linux');
  const notSendable = await api.call('setActive', { backend: 'nim', fn: () => 1 } as never);
  assert.deepEqual(notSendable, { ok: false, error: { code: 'invalid_request', message: 'the input could not be sent to Patchbay (plain data only)', field: 'input' } });

  const internal = await api.call('getState');
  assert.deepEqual(internal, { ok: false, error: { code: 'internal', message: 'internal error' } });

  ipcMain.handlers.set(IpcChannel.Call, () => {
    throw new Error('a handler that throws (Electron keeps only the message)');
  });
  const thrown = await api.call('getState');
  assert.equal(thrown.ok, false);
  assert.equal(!thrown.ok && thrown.offline, true);

  dispose();
  const gone = await api.call('getState');
  assert.deepEqual(gone, { ok: false, offline: true, error: { code: 'unavailable', message: 'Patchbay’s engine is not answering (the app may be shutting down).' } });
  const off = api.subscribe(() => undefined);
  await settle(); // the failed Subscribe invoke is swallowed, no unhandled rejection
  off();
  await settle();
});
