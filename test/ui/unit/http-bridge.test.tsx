/**
 * The HTTP bridge against a fake fetch and a fake EventSource: the paths and bodies each
 * command sends, same-origin credentials, answers checked against the contract, errors in the
 * one error shape, the connection state (offline, signed-out, online) and typed events.
 */
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../renderer/src/bridge/bridge';
import type { AdminEvent, Connection } from '../../../renderer/src/bridge/bridge';
import { createHttpBridge } from '../../../renderer/src/bridge/http-bridge';
import { row, state } from './fixtures';

interface Seen {
  url: string;
  init: RequestInit;
}

function fakeFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    seen.push({ url: String(input), init });
    return answer(String(input), init);
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, Array<(e: { data: string }) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, fn: (e: { data: string }) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  fail(closed: boolean) {
    this.readyState = closed ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.onerror?.();
  }
  send(name: string, data: string) {
    for (const fn of this.listeners.get(name) ?? []) fn({ data });
  }
}

const ES = FakeEventSource as unknown as typeof EventSource;

describe('HTTP bridge', () => {
  it('sends each command to its path, same-origin with credentials, JSON body', async () => {
    const { fetch, seen } = fakeFetch((url) => (url.endsWith('/key') ? json(200, { backend: 'nim', set: true, last4: 'abcd', source: 'keychain' }) : json(200, state({ active: 'moonshot' }))));
    const bridge = createHttpBridge({ fetch, EventSource: ES });
    const result = await bridge.call('setActive', { backend: 'moonshot' });
    expect(result.active).toBe('moonshot');
    expect(seen[0]).toMatchObject({ url: '/api/active', init: { method: 'PUT', credentials: 'same-origin', body: '{"backend":"moonshot"}' } });
    expect((seen[0]!.init.headers as Record<string, string>)['content-type']).toBe('application/json');
    const key = await bridge.call('setKey', { id: 'nim/x', key: 'sk-secret-abcd' });
    expect(key).toEqual({ backend: 'nim', set: true, last4: 'abcd', source: 'keychain' });
    expect(seen[1]).toMatchObject({ url: '/api/backends/nim%2Fx/key', init: { method: 'PUT', body: '{"key":"sk-secret-abcd"}' } });
    expect(bridge.connection()).toBe('online');
  });

  it('puts list filters in the query string, leaving empty ones out', async () => {
    const { fetch, seen } = fakeFetch(() => json(200, { items: [row()], nextCursor: null }));
    const bridge = createHttpBridge({ fetch, EventSource: ES, baseUrl: 'http://127.0.0.1:7420/' });
    await bridge.call('listRequests', { status: '4xx', backend: '', text: 'a b', limit: 50 });
    expect(seen[0]!.url).toBe('http://127.0.0.1:7420/api/requests?status=4xx&text=a+b&limit=50');
  });

  it('hands on the engine error in the one error shape', async () => {
    const { fetch } = fakeFetch(() => json(409, { error: { code: 'conflict', message: 'nim is the active backend', field: 'id' } }));
    const bridge = createHttpBridge({ fetch, EventSource: ES });
    const err = await bridge.call('removeBackend', { id: 'nim' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect((err as BridgeError).toBody()).toEqual({ error: { code: 'conflict', message: 'nim is the active backend', field: 'id' } });
  });

  it('maps a non-contract error answer by its status, with an excerpt', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>Not Found</html>', { status: 404 }));
    const err = (await createHttpBridge({ fetch, EventSource: ES }).call('getState').catch((e: unknown) => e)) as BridgeError;
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('Patchbay answered HTTP 404: <html>Not Found</html>');
  });

  it('refuses an answer that does not match the contract', async () => {
    const { fetch } = fakeFetch(() => json(200, { active: 3 }));
    const err = (await createHttpBridge({ fetch, EventSource: ES }).call('getState').catch((e: unknown) => e)) as BridgeError;
    expect(err.code).toBe('internal');
    expect(err.message).toMatch(/getState does not match the contract at active/);
  });

  it('is offline when the engine does not answer, signed-out on 401, online again after', async () => {
    let mode: 'down' | '401' | 'up' = 'down';
    const { fetch } = fakeFetch(() => {
      if (mode === 'down') throw new TypeError('fetch failed');
      if (mode === '401') return json(401, { error: { code: 'unauthorized', message: 'sign in again' } });
      return json(200, state());
    });
    const bridge = createHttpBridge({ fetch, EventSource: ES });
    const seen: Connection[] = [];
    bridge.onConnection((c) => seen.push(c));
    const err = (await bridge.call('getState').catch((e: unknown) => e)) as BridgeError;
    expect(err.code).toBe('unavailable');
    mode = '401';
    expect(((await bridge.call('getState').catch((e: unknown) => e)) as BridgeError).code).toBe('unauthorized');
    mode = 'up';
    await bridge.call('getState');
    expect(seen).toEqual(['offline', 'signed-out', 'online']);
  });

  it('opens one event stream while someone listens, typed and checked events only', () => {
    FakeEventSource.instances = [];
    const { fetch } = fakeFetch(() => json(200, state()));
    const bridge = createHttpBridge({ fetch, EventSource: ES });
    const got: AdminEvent[] = [];
    const off = bridge.subscribe((e) => got.push(e));
    const off2 = bridge.subscribe(() => undefined);
    expect(FakeEventSource.instances).toHaveLength(1);
    const es = FakeEventSource.instances[0]!;
    expect(es.url).toBe('/api/events');
    es.open();
    expect(bridge.connection()).toBe('online');
    es.send('requestStarted', JSON.stringify(row({ id: 'r1', inFlight: true, status: 0 })));
    es.send('requestStarted', '{"id": 1}'); // not the contract: dropped
    es.send('stats', 'not json');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ type: 'requestStarted', data: { id: 'r1', inFlight: true } });
    es.fail(false);
    expect(bridge.connection()).toBe('offline');
    off();
    expect(es.readyState).not.toBe(FakeEventSource.CLOSED); // still there for the second listener
    off2();
    expect(es.readyState).toBe(FakeEventSource.CLOSED);
  });

  it('reopens the event stream after it closed for good', async () => {
    FakeEventSource.instances = [];
    const { fetch } = fakeFetch(() => json(200, state()));
    const bridge = createHttpBridge({ fetch, EventSource: ES, reopenEventsMs: 5 });
    const off = bridge.subscribe(() => undefined);
    FakeEventSource.instances[0]!.fail(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(FakeEventSource.instances).toHaveLength(2);
    off();
    bridge.close();
  });
});
