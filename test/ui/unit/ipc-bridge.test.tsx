/**
 * The IPC bridge (the Electron window's) against a recording stand-in of `window.patchbay`:
 * envelopes become results or BridgeErrors in the one error shape, results and events are
 * checked against the contract, the connection is `online` after the first answer and `offline`
 * only when the preload says no host answered (never `signed-out`), one host subscription for
 * any number of listeners, released by the last one and by close().
 */
import { describe, expect, it } from 'vitest';
import type { PatchbayPreloadApi } from '../../../main/shared/preload-api';
import type { IpcEnvelope } from '../../../main/shared/ipc-envelope';
import { BridgeError } from '../../../renderer/src/bridge/bridge';
import type { AdminEvent, Connection } from '../../../renderer/src/bridge/bridge';
import { createIpcBridge } from '../../../renderer/src/bridge/ipc-bridge';
import { row, state } from './fixtures';

function fakePreload(answer: (command: string, input: unknown) => unknown) {
  const calls: Array<{ command: string; input: unknown }> = [];
  const hostListeners = new Set<(e: AdminEvent) => void>();
  let subscribes = 0;
  const api: PatchbayPreloadApi = {
    call: (async (command: string, input?: unknown) => {
      calls.push({ command, input });
      return answer(command, input);
    }) as PatchbayPreloadApi['call'],
    subscribe(listener) {
      subscribes += 1;
      hostListeners.add(listener);
      return () => hostListeners.delete(listener);
    },
    platform: 'linux',
  };
  const push = (event: unknown) => {
    for (const l of [...hostListeners]) l(event as AdminEvent);
  };
  return { api, calls, push, hostListeners, subscribes: () => subscribes };
}

const ok = <T,>(result: T): IpcEnvelope<T> => ({ ok: true, result });
const fail = (code: string, message: string, field?: string, offline?: boolean) => ({ ok: false, error: { code, message, ...(field ? { field } : {}) }, ...(offline ? { offline: true } : {}) });

async function rejection(promise: Promise<unknown>): Promise<BridgeError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BridgeError);
    return error as BridgeError;
  }
  throw new Error('expected a BridgeError');
}

describe('IPC bridge', () => {
  it('passes the command and input to the preload and returns the checked result; online after the first answer', async () => {
    const { api, calls } = fakePreload(() => ok(state({ active: 'moonshot' })));
    const bridge = createIpcBridge(api);
    const seen: Connection[] = [];
    bridge.onConnection((c) => seen.push(c));
    expect(bridge.connection()).toBe('connecting');
    const result = await bridge.call('setActive', { backend: 'moonshot' });
    expect(result.active).toBe('moonshot');
    expect(calls).toEqual([{ command: 'setActive', input: { backend: 'moonshot' } }]);
    expect(bridge.connection()).toBe('online');
    await bridge.call('getState');
    expect(calls[1]).toEqual({ command: 'getState', input: undefined });
    expect(seen).toEqual(['online']);
  });

  it('turns an error envelope into a BridgeError with the code, message and field; the engine answered, so online', async () => {
    const { api } = fakePreload(() => fail('invalid_request', 'key: must not contain line breaks', 'key'));
    const bridge = createIpcBridge(api);
    const error = await rejection(bridge.call('setKey', { id: 'nim', key: 'x\n' }));
    expect(error.toBody()).toEqual({ error: { code: 'invalid_request', message: 'key: must not contain line breaks', field: 'key' } });
    expect(bridge.connection()).toBe('online');
    const keychain = createIpcBridge(fakePreload(() => fail('unavailable', 'the keychain is locked')).api);
    expect((await rejection(keychain.call('getKey', { id: 'nim' }))).code).toBe('unavailable');
    expect(keychain.connection()).toBe('online');
  });

  it('is offline while the preload says no host answered, online again at the next answer, never signed-out', async () => {
    let up = false;
    const { api } = fakePreload(() => (up ? ok(state()) : fail('unavailable', 'Patchbay’s engine is not answering.', undefined, true)));
    const bridge = createIpcBridge(api);
    const seen: Connection[] = [];
    bridge.onConnection((c) => seen.push(c));
    const error = await rejection(bridge.call('getState'));
    expect(error.code).toBe('unavailable');
    expect(bridge.connection()).toBe('offline');
    up = true;
    await bridge.call('getState');
    expect(seen).toEqual(['offline', 'online']);
  });

  it('refuses answers that break the contract or are no envelope, as internal errors', async () => {
    const answers: unknown[] = [
      ok({ active: 42 }),
      undefined,
      'nope',
      { result: state() },
      { ok: false, error: { code: 'teapot', message: 'short and stout' } },
      { ok: false },
    ];
    for (const answer of answers) {
      const bridge = createIpcBridge(fakePreload(() => answer).api);
      const error = await rejection(bridge.call('getState'));
      expect(error.code, JSON.stringify(answer)).toBe('internal');
    }
    const rejecting = createIpcBridge({ ...fakePreload(() => ok(null)).api, call: (() => Promise.reject(new Error('broken'))) as PatchbayPreloadApi['call'] });
    expect((await rejection(rejecting.call('getState'))).code).toBe('internal');
    const contractError = await rejection(createIpcBridge(fakePreload(() => ok({ items: [row({ status: 'x' as never })], nextCursor: null })).api).call('listRequests', {}));
    expect(contractError.message).toMatch(/does not match the contract at items\.0\.status/);
  });

  it('shares one host subscription among listeners, drops events that break the contract, releases on the last unsubscribe', () => {
    const { api, push, hostListeners, subscribes } = fakePreload(() => ok(null));
    const bridge = createIpcBridge(api);
    const a: AdminEvent[] = [];
    const b: AdminEvent[] = [];
    const offA = bridge.subscribe((e) => a.push(e));
    const offB = bridge.subscribe((e) => b.push(e));
    expect(subscribes()).toBe(1);
    const finished: AdminEvent = { type: 'requestFinished', data: row({ id: 'req_1', status: 200 }) };
    push(finished);
    push({ type: 'requestFinished', data: { id: 'req_2' } }); // not a summary
    push({ type: 'mystery', data: {} });
    push(null);
    expect(a).toEqual([finished]);
    expect(b).toEqual([finished]);
    offA();
    expect(hostListeners.size).toBe(1);
    offB();
    expect(hostListeners.size).toBe(0);
    bridge.subscribe(() => undefined);
    expect(subscribes()).toBe(2);
  });

  it('close() releases the host subscription and stops connection notices', async () => {
    const { api, hostListeners } = fakePreload(() => ok(state()));
    const bridge = createIpcBridge(api);
    const seen: Connection[] = [];
    bridge.onConnection((c) => seen.push(c));
    bridge.subscribe(() => undefined);
    bridge.close();
    expect(hostListeners.size).toBe(0);
    await bridge.call('getState');
    expect(seen).toEqual([]);
    bridge.subscribe(() => undefined);
    expect(hostListeners.size).toBe(0);
  });
});
