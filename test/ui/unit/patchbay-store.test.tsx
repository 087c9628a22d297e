/** The store: loading, live events, the bounded row buffer, reconnect refresh and the selectors. */
import { describe, expect, it } from 'vitest';
import { createPatchbayStore } from '../../../renderer/src/store/patchbay-store';
import { selectActiveBackend, selectAttention, selectBackendCards, selectEngine, selectVisibleRows } from '../../../renderer/src/store/selectors';
import { fakeBridge } from './fake-bridge';
import { backend, liveStats, row, state } from './fixtures';

const flush = () => new Promise((r) => setTimeout(r, 0));

function started(handlers: Parameters<typeof fakeBridge>[0] = {}, rowLimit?: number) {
  const bridge = fakeBridge({ getState: () => state(), listRequests: () => ({ items: [], nextCursor: null }), ...handlers });
  const store = createPatchbayStore(bridge, rowLimit ? { rowLimit } : {});
  const stop = store.getState().start();
  return { bridge, store, stop };
}

describe('patchbay store', () => {
  it('loads the state and the newest rows on start, then follows events', async () => {
    const a = row({ id: 'a' });
    const b = row({ id: 'b' });
    const older = [b, a]; // newest first, as the log API lists
    const { bridge, store } = started({ listRequests: () => ({ items: older, nextCursor: 'c1' }) });
    await flush();
    const s = store.getState();
    expect(s.engine.status).toBe('ready');
    expect(selectActiveBackend(s)?.id).toBe('nim');
    expect(s.log.rows.map((r) => r.id)).toEqual(['a', 'b']);
    expect(s.olderCursor).toBe('c1');

    bridge.push({ type: 'requestStarted', data: row({ id: 'live', status: 0, inFlight: true, latencyMs: 0 }) });
    expect(store.getState().log.rows.at(-1)).toMatchObject({ id: 'live', inFlight: true });
    bridge.push({ type: 'requestFinished', data: row({ id: 'live', status: 200, latencyMs: 900 }) });
    const rows = store.getState().log.rows.filter((r) => r.id === 'live');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 200, latencyMs: 900 });
    expect(rows[0]!.inFlight).toBeUndefined();
  });

  it('never turns a finished row back into an in-flight one (late update)', async () => {
    const { bridge, store } = started();
    await flush();
    bridge.push({ type: 'requestFinished', data: row({ id: 'x', status: 500, error: 'upstream 500' }) });
    bridge.push({ type: 'requestUpdated', data: row({ id: 'x', status: 0, inFlight: true }) });
    expect(store.getState().log.rows.find((r) => r.id === 'x')).toMatchObject({ status: 500, error: 'upstream 500' });
  });

  it('keeps at most rowLimit rows, the newest', async () => {
    const { bridge, store } = started({}, 100);
    await flush();
    for (let i = 0; i < 250; i++) bridge.push({ type: 'requestStarted', data: row({ id: `r${i}`, inFlight: true, status: 0 }) });
    const rows = store.getState().log.rows;
    expect(rows).toHaveLength(100);
    expect(rows[0]!.id).toBe('r150');
    expect(rows.at(-1)!.id).toBe('r249');
  });

  it('pages older rows in front until the log has no more', async () => {
    const { bridge, store } = started({ listRequests: (input) => (input?.cursor ? { items: [row({ id: 'old2' }), row({ id: 'old1' })], nextCursor: null } : { items: [row({ id: 'new' })], nextCursor: 'k' }) });
    await flush();
    await store.getState().loadOlderRows();
    expect(store.getState().log.rows.map((r) => r.id)).toEqual(['old1', 'old2', 'new']);
    expect(store.getState().olderCursor).toBeNull();
    expect(bridge.calls.filter((c) => c.command === 'listRequests').at(-1)!.input).toMatchObject({ cursor: 'k' });
  });

  it('asks for no older page once the buffer is full', async () => {
    const page = Array.from({ length: 5 }, () => row()).reverse();
    const { bridge, store } = started({ listRequests: () => ({ items: page, nextCursor: 'more' }) }, 5);
    await flush();
    await store.getState().loadOlderRows();
    expect(bridge.calls.filter((c) => c.command === 'listRequests')).toHaveLength(1);
  });

  it('keeps the live stats from stats events; the cards show the learned rate when lower', async () => {
    const { bridge, store } = started();
    await flush();
    const snap = (t: string, requests: number) => ({ time: t, backends: [liveStats('nim', { requests, requestsLastMinute: requests, rpmLimit: 40, learnedRpm: 20 })] });
    bridge.push({ type: 'stats', data: snap('2026-11-25T12:00:00Z', 3) });
    bridge.push({ type: 'stats', data: snap('2026-11-25T12:00:01Z', 5) });
    const s = store.getState();
    const nim = selectBackendCards(s).find((c) => c.view.id === 'nim')!;
    expect(nim.stats?.requestsLastMinute).toBe(5);
    expect(nim.effectiveRpm).toBe(20);
    expect(selectAttention(s).map((a) => a.text)).toContain('nim is rate limited: paced at 20/min.');
  });

  it('fetches state and rows again when the engine comes back', async () => {
    const { bridge, store } = started();
    await flush();
    bridge.setConnection('offline');
    expect(selectAttention(store.getState())[0]!.text).toMatch(/not answering/);
    bridge.setConnection('online');
    await flush();
    expect(bridge.calls.filter((c) => c.command === 'getState')).toHaveLength(2);
    expect(bridge.calls.filter((c) => c.command === 'listRequests')).toHaveLength(2);
  });

  it('switches the backend and says when the active one has no key', async () => {
    const { store } = started({
      setActive: ({ backend: id }) => state({ active: id, backends: [backend('nim', { rpm: 40 }), backend('moonshot', { apiKey: 'env:MOONSHOT_API_KEY', key: { set: false, source: 'env:MOONSHOT_API_KEY' } })] }),
    });
    await flush();
    await store.getState().switchBackend('moonshot');
    const s = store.getState();
    expect(selectActiveBackend(s)?.id).toBe('moonshot');
    expect(selectAttention(s)[0]).toMatchObject({ tone: 'bad', text: 'moonshot has no key: set MOONSHOT_API_KEY or add one in Backends.' });
  });

  it('pauses and resumes through the bridge; paused shows as an attention line', async () => {
    const { store } = started({
      setPaused: ({ paused }) => state({ paused }),
    });
    await flush();
    await store.getState().setPaused(true);
    expect(selectEngine(store.getState())?.paused).toBe(true);
    expect(selectAttention(store.getState()).map((a) => a.text)).toContain('Patchbay is paused: agents are told to wait and retry. Resume to serve again.');
    await store.getState().setPaused(false);
    expect(selectAttention(store.getState()).some((a) => /paused/.test(a.text))).toBe(false);
  });

  it('filters rows by status class, agent and text, newest first, memoised', async () => {
    const { bridge, store } = started();
    await flush();
    bridge.push({ type: 'requestFinished', data: row({ id: 'ok1', agent: 'codex' }) });
    bridge.push({ type: 'requestFinished', data: row({ id: 'e1', status: 429, error: 'rate limited by upstream' }) });
    bridge.push({ type: 'requestStarted', data: row({ id: 'f1', status: 0, inFlight: true }) });
    bridge.push({ type: 'requestFinished', data: row({ id: 'e2', status: 502, error: 'bad gateway' }) });
    const ids = () => selectVisibleRows(store.getState()).map((r) => r.id);
    expect(ids()).toEqual(['e2', 'f1', 'e1', 'ok1']);
    store.getState().setLogFilter({ status: 'error' });
    expect(ids()).toEqual(['e2', 'e1']);
    store.getState().setLogFilter({ status: '4xx' });
    expect(ids()).toEqual(['e1']);
    store.getState().setLogFilter({ status: 'inflight' });
    expect(ids()).toEqual(['f1']);
    store.getState().setLogFilter({ status: '', text: 'GATEWAY' });
    expect(ids()).toEqual(['e2']);
    store.getState().setLogFilter({ text: '', agent: 'codex' });
    expect(ids()).toEqual(['ok1']);
    expect(selectVisibleRows(store.getState())).toBe(selectVisibleRows(store.getState()));
  });

  it('stops following events when stopped', async () => {
    const { bridge, stop } = started();
    await flush();
    expect(bridge.listenerCount()).toBe(1);
    stop();
    expect(bridge.listenerCount()).toBe(0);
  });
});
