/**
 * The IPC host on a real engine, driven through an Electron-like IPC pair: who is answered (our
 * window's top frame on our origin only), what is refused before the API runs (unknown commands,
 * payloads failing their schema, never quoting them), that every answer is an envelope (nothing
 * rejects across the boundary, internal failures say nothing), and the event subscription per
 * window (fresh on re-subscribe, released on unsubscribe, on destroy and on dispose).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { apiErrorBodySchema, type AdminApi, type AdminEvent, type ErrorCode } from '../../../../app/api/contract';
import { startEngine, type Engine } from '../../../../app/runtime/engine';
import { setupIpcHost } from '../../../../main/ipc/ipc-host';
import { ownSenderCheck } from '../../../../main/ipc/own-sender';
import { IpcChannel } from '../../../../main/shared/ipc-channels';
import type { IpcEnvelope } from '../../../../main/shared/ipc-envelope';
import { makeTempDir, removeTempDirs } from '../../../helpers/temp-dirs';
import { removeTestService, uniqueTestService } from '../../vault/helpers/test-keychain';
import { FakeIpcMain, FakeWindow } from './helpers/electron-ipc-pair';

const ORIGIN = 'app://patchbay';
const service = uniqueTestService();
const dir = makeTempDir('ipc-host');
let engine: Engine;
let url: string;

before(async () => {
  engine = await startEngine({ dataDir: join(dir, 'data'), env: {}, keychainService: service });
  url = await engine.listen('127.0.0.1', 0);
});
after(async () => {
  await engine.close();
  await removeTestService(service).catch(() => undefined);
  removeTempDirs(dir);
});

/** The engine's API, counting the event subscriptions it holds. */
function countingApi(api: AdminApi): AdminApi & { active(): number } {
  let active = 0;
  return {
    ...api,
    subscribe(listener) {
      active += 1;
      const off = api.subscribe(listener);
      let on = true;
      return () => {
        if (on) active -= 1;
        on = false;
        off();
      };
    },
    active: () => active,
  };
}

function rig(options: { api?: AdminApi; isOwnSender?: (windows: FakeWindow[]) => Parameters<typeof setupIpcHost>[0]['isOwnSender'] } = {}) {
  const ipcMain = new FakeIpcMain();
  const ours = new FakeWindow(ipcMain, 1, `${ORIGIN}/index.html`);
  const popover = new FakeWindow(ipcMain, 2, `${ORIGIN}/index.html#popover`);
  const stranger = new FakeWindow(ipcMain, 3, `${ORIGIN}/index.html`); // same page, not a window we made
  const api = countingApi(options.api ?? engine.api);
  const windows = [ours, popover];
  const dispose = setupIpcHost({
    ipcMain,
    api,
    isOwnSender: options.isOwnSender?.(windows) ?? ownSenderCheck({ windows: () => windows.map((w) => ({ webContents: w.contents })), origin: ORIGIN }),
    baseUrl: () => url,
  });
  return { ipcMain, ours, popover, stranger, api, dispose };
}

/** Invoke a channel the raw way (no preload): the answer must be an envelope, never a rejection. */
async function invoke(window: FakeWindow, channel: IpcChannel, ...args: unknown[]): Promise<IpcEnvelope<unknown>> {
  const answer = (await window.ipcRenderer.invoke(channel, ...args)) as IpcEnvelope<unknown>;
  assert.equal(typeof answer.ok, 'boolean', `not an envelope: ${JSON.stringify(answer)}`);
  if (!answer.ok) assert.ok(apiErrorBodySchema.safeParse({ error: answer.error }).success, `not the one error shape: ${JSON.stringify(answer.error)}`);
  return answer;
}

function refused(answer: IpcEnvelope<unknown>, code: ErrorCode, field?: string) {
  assert.equal(answer.ok, false, `expected a ${code} refusal, got ${JSON.stringify(answer)}`);
  if (answer.ok) return undefined as never;
  assert.equal(answer.error.code, code, answer.error.message);
  if (field !== undefined) assert.equal(answer.error.field, field);
  return answer.error;
}

const eventsSent = (window: FakeWindow) => window.contents.sent.filter((m) => m.channel === IpcChannel.Event).map((m) => m.args[0] as AdminEvent);

async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('our windows get answers; a window we did not make, another origin, an iframe or a gone frame is refused and changes nothing', async () => {
  const { ours, popover, stranger, api, dispose } = rig();
  try {
    const state = await invoke(ours, IpcChannel.Call, 'getState');
    assert.equal(state.ok && (state.result as { active: string }).active, engine.registry.active.id);
    assert.equal((await invoke(popover, IpcChannel.Call, 'getState')).ok, true);

    const target = engine.registry.active.id === 'nim' ? 'moonshot' : 'nim';
    const before = engine.registry.active.id;
    refused(await invoke(stranger, IpcChannel.Call, 'setActive', { backend: target }), 'forbidden');
    refused(await invoke(stranger, IpcChannel.Subscribe), 'forbidden');

    ours.frame = { origin: 'https://evil.example', url: 'https://evil.example/x', parent: null }; // navigated away
    refused(await invoke(ours, IpcChannel.Call, 'setActive', { backend: target }), 'forbidden');
    ours.frame = { origin: ORIGIN, url: `${ORIGIN}/frame.html`, parent: {} }; // an iframe inside our page
    refused(await invoke(ours, IpcChannel.Call, 'setActive', { backend: target }), 'forbidden');
    ours.frame = null; // destroyed since it sent
    refused(await invoke(ours, IpcChannel.Subscribe), 'forbidden');
    ours.frame = { origin: 'app://patchbay.evil', url: 'app://patchbay.evil/', parent: null };
    refused(await invoke(ours, IpcChannel.Call, 'getState'), 'forbidden');

    assert.equal(engine.registry.active.id, before, 'no refused call reached the engine');
    assert.equal(api.active(), 0, 'no refused subscription');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(eventsSent(stranger), []);
  } finally {
    dispose();
  }
});

test('a sender check that throws refuses instead of throwing across', async () => {
  const { ours, dispose } = rig({
    isOwnSender: () => () => {
      throw new TypeError('Object has been destroyed');
    },
  });
  try {
    refused(await invoke(ours, IpcChannel.Call, 'getState'), 'forbidden');
    refused(await invoke(ours, IpcChannel.Unsubscribe), 'forbidden');
  } finally {
    dispose();
  }
});

test('unknown commands are refused by name, including names every object inherits', async () => {
  const { ours, dispose } = rig();
  try {
    for (const command of ['dropEverything', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'subscribe', '', 42, null, { name: 'getState' }]) {
      const error = refused(await invoke(ours, IpcChannel.Call, command, {}), 'invalid_request', 'command');
      assert.match(error.message, /no such command/);
    }
  } finally {
    dispose();
  }
});

test('payloads failing their schema are refused before the API runs, naming the field and never quoting the payload', async () => {
  const { ours, dispose } = rig();
  const secret = 'sk-never-echo-this-0123456789';
  const before = engine.registry.active.id;
  try {
    refused(await invoke(ours, IpcChannel.Call, 'setActive', { backend: 5 }), 'invalid_request', 'backend');
    refused(await invoke(ours, IpcChannel.Call, 'setActive', 'nim'), 'invalid_request');
    refused(await invoke(ours, IpcChannel.Call, 'setActive', { backend: 'nim', sneak: secret }), 'invalid_request');
    refused(await invoke(ours, IpcChannel.Call, 'setPaused', { paused: 'yes' }), 'invalid_request', 'paused');
    refused(await invoke(ours, IpcChannel.Call, 'getState', { extra: 1 }), 'invalid_request');
    const listed = refused(await invoke(ours, IpcChannel.Call, 'listRequests', { status: 'weird' }), 'invalid_request', 'status');
    assert.match(listed.message, /must be a status/);
    for (const payload of [
      { id: 'moonshot', key: 12345 },
      { id: 'moonshot', key: secret, [secret]: secret },
      { id: ['moonshot', secret], key: secret },
    ]) {
      const error = refused(await invoke(ours, IpcChannel.Call, 'setKey', payload), 'invalid_request');
      assert.ok(!error.message.includes(secret) && !JSON.stringify(error).includes(secret), `echoed: ${error.message}`);
    }
    assert.equal(engine.registry.active.id, before);
    const key = await engine.api.getKey({ id: 'moonshot' });
    assert.equal(key.set, false, 'no key was set by a refused payload');
  } finally {
    dispose();
  }
});

test('an API failure that is not ours comes back as `internal` without detail; an ApiCommandError keeps its code and field', async () => {
  const leaky = 'sk-leaky-detail-987654321';
  const api: AdminApi = {
    ...engine.api,
    getState: async () => {
      throw new Error(`database exploded near ${leaky}`);
    },
  };
  const { ours, dispose } = rig({ api });
  try {
    const error = refused(await invoke(ours, IpcChannel.Call, 'getState'), 'internal');
    assert.equal(error.message, 'internal error');
    refused(await invoke(ours, IpcChannel.Call, 'setActive', { backend: 'ghost' }), 'not_found');
    refused(await invoke(ours, IpcChannel.Call, 'restoreAgent', { id: 'nothing-like-it' }), 'not_found');
  } finally {
    dispose();
  }
});

test('results are the engine’s, and snippets name the URL the host was given', async () => {
  const { ours, dispose } = rig();
  try {
    const env = await invoke(ours, IpcChannel.Call, 'getClaudeCodeEnv');
    assert.ok(env.ok);
    assert.ok((env.result as { text: string }).text.includes(`ANTHROPIC_BASE_URL='${url}'`), (env.result as { text: string }).text);
  } finally {
    dispose();
  }
});

test('events: one subscription per window, fresh stats on re-subscribe, released on unsubscribe, on destroy and on dispose', async () => {
  const { ours, popover, api, dispose } = rig();
  let disposed = false;
  try {
    assert.equal((await invoke(ours, IpcChannel.Subscribe)).ok, true);
    await until('first stats to our window', () => eventsSent(ours).some((e) => e.type === 'stats'));
    assert.equal((await invoke(ours, IpcChannel.Subscribe)).ok, true, 'a reloaded page subscribes again');
    await until('a second first-stats', () => eventsSent(ours).filter((e) => e.type === 'stats').length >= 2);
    assert.equal(api.active(), 1, 'still one subscription for that window');

    assert.equal((await invoke(popover, IpcChannel.Subscribe)).ok, true);
    assert.equal(api.active(), 2);
    const target = engine.registry.active.id === 'nim' ? 'moonshot' : 'nim';
    await invoke(ours, IpcChannel.Call, 'setActive', { backend: target });
    for (const w of [ours, popover]) {
      await until(`stateChanged to window ${w.contents.id}`, () => eventsSent(w).some((e) => e.type === 'stateChanged' && e.data.active === target));
    }

    assert.equal((await invoke(popover, IpcChannel.Unsubscribe)).ok, true);
    assert.equal(api.active(), 1);
    assert.equal((await invoke(popover, IpcChannel.Unsubscribe)).ok, true, 'unsubscribing twice is harmless');

    ours.contents.destroy();
    assert.equal(api.active(), 0, 'a destroyed window holds no subscription');

    const again = new FakeWindow(ours.ipcMain, 4, `${ORIGIN}/index.html`);
    await invoke(popover, IpcChannel.Subscribe);
    assert.equal(api.active(), 1);
    dispose();
    disposed = true;
    assert.equal(api.active(), 0, 'dispose releases every subscription');
    await assert.rejects(again.ipcRenderer.invoke(IpcChannel.Call, 'getState'), /No handler registered/, 'dispose removes the handlers');
  } finally {
    if (!disposed) dispose();
  }
});

test('a window destroyed while events are on their way is dropped, not thrown at', async () => {
  const { ours, api, dispose } = rig();
  try {
    await invoke(ours, IpcChannel.Subscribe);
    // Destroyed without the 'destroyed' event reaching the host (it is sent afterwards).
    ours.contents.removeAllListeners('destroyed');
    ours.contents.destroy();
    engine.stats.attemptStarted('nim');
    await until('the subscription is released on the next event', () => api.active() === 0);
  } finally {
    dispose();
  }
});

test('an event that cannot cross (not cloneable) is skipped; the window keeps its subscription', async () => {
  const listeners = new Set<(e: AdminEvent) => void>();
  const api: AdminApi = {
    ...engine.api,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const { ours, dispose } = rig({ api });
  const push = (e: unknown) => {
    for (const l of [...listeners]) l(e as AdminEvent);
  };
  try {
    await invoke(ours, IpcChannel.Subscribe);
    push({ type: 'stats', data: { time: 'a', backends: [], oops: () => 1 } });
    push({ type: 'stats', data: { time: 'b', backends: [] } });
    await until('the next event arrives', () => eventsSent(ours).some((e) => e.type === 'stats' && e.data.time === 'b'));
    assert.equal(listeners.size, 1, 'still subscribed');
  } finally {
    dispose();
  }
});
