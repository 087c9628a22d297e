/**
 * The UI's one store (zustand): what the engine told us (state, live stats, request rows,
 * agents, presets, test results) and the actions the panels call. It holds only what came
 * from the bridge; everything derived (cards, attention lines, filtered rows, the chart) is computed by
 * the selectors in selectors.ts. Events keep it live; after the engine comes back from being
 * unreachable, state and the newest rows are fetched again (events may have been missed).
 */
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Diagnosis, RequestEntry, State, StatsSnapshot } from '../../../app/api/contract';
import { asBridgeError } from '../bridge/bridge';
import type { AdminEvent, Bridge, CommandResult, Connection } from '../bridge/bridge';
import { emptyRows, mergeNewest, prependOlder, upsertRow, DEFAULT_ROW_LIMIT } from './row-buffer';
import type { RowBuffer } from './row-buffer';

export type Agents = CommandResult<'listAgents'>['agents'];
export type Presets = CommandResult<'listPresets'>['presets'];

/** Something loaded on demand: not yet, loading, there, or failed with a sentence. */
export type Loadable<T> = { status: 'idle' } | { status: 'loading'; value?: T } | { status: 'ready'; value: T } | { status: 'error'; message: string; value?: T };

export interface BackendTest {
  running: boolean;
  diagnosis?: Diagnosis;
  error?: string;
}

export interface LogFilter {
  backend: string;
  agent: string;
  /** '', 'ok', 'error', 'inflight', '2xx', '4xx', '429', '5xx'. */
  status: string;
  text: string;
}

export const NO_FILTER: LogFilter = { backend: '', agent: '', status: '', text: '' };

export interface PatchbayData {
  connection: Connection;
  engine: Loadable<State>;
  stats: StatsSnapshot | null;
  log: RowBuffer;
  logStatus: Loadable<true>;
  /** Cursor of the next older page; null when the log has no more. */
  olderCursor: string | null;
  logFilter: LogFilter;
  details: Record<string, Loadable<RequestEntry>>;
  agents: Loadable<Agents>;
  presets: Loadable<Presets>;
  tests: Record<string, BackendTest>;
}

export interface PatchbayActions {
  /** Connect: load state and the newest rows, follow events. Returns the stop function. */
  start(): () => void;
  refresh(): Promise<void>;
  /** Read the engine state again (after a command that changes backends, keys or failover). */
  reloadState(): Promise<void>;
  switchBackend(id: string): Promise<void>;
  /** Pause or resume the proxy (model calls refused as "overloaded" while paused). */
  setPaused(paused: boolean): Promise<void>;
  loadOlderRows(): Promise<void>;
  setLogFilter(filter: Partial<LogFilter>): void;
  loadDetail(id: string): Promise<void>;
  loadAgents(): Promise<void>;
  loadPresets(): Promise<void>;
  testBackend(id: string): Promise<void>;
  /** Commands whose result the panel shows itself (forms, key entry, agent writes). */
  bridge: Bridge;
}

export type PatchbayState = PatchbayData & PatchbayActions;
export type PatchbayStore = StoreApi<PatchbayState>;

export const FIRST_PAGE = 500;

export function createPatchbayStore(bridge: Bridge, options: { rowLimit?: number } = {}): PatchbayStore {
  return createStore<PatchbayState>()((set, get) => {
    const applyEvent = (event: AdminEvent): void => {
      switch (event.type) {
        case 'stats':
          set({ stats: event.data });
          break;
        case 'stateChanged':
          set({ engine: { status: 'ready', value: event.data } });
          break;
        case 'requestStarted':
        case 'requestUpdated':
        case 'requestFinished':
          set((s) => ({ log: upsertRow(s.log, event.data) }));
          break;
      }
    };

    async function loadState(): Promise<void> {
      const prev = get().engine;
      set({ engine: { status: 'loading', ...('value' in prev && prev.value ? { value: prev.value } : {}) } });
      try {
        const state = await bridge.call('getState');
        set((s) => ({ engine: { status: 'ready', value: state }, stats: s.stats ?? state.stats }));
      } catch (error) {
        set({ engine: { status: 'error', message: asBridgeError(error).message, ...('value' in prev && prev.value ? { value: prev.value } : {}) } });
      }
    }

    async function loadNewestRows(): Promise<void> {
      set({ logStatus: { status: 'loading' } });
      try {
        const page = await bridge.call('listRequests', { limit: FIRST_PAGE });
        set((s) => ({
          log: mergeNewest(s.log, page.items),
          olderCursor: s.log.rows.length === 0 || s.olderCursor === null ? page.nextCursor : s.olderCursor,
          logStatus: { status: 'ready', value: true },
        }));
      } catch (error) {
        set({ logStatus: { status: 'error', message: asBridgeError(error).message } });
      }
    }

    return {
      connection: bridge.connection(),
      engine: { status: 'idle' },
      stats: null,
      log: emptyRows(options.rowLimit ?? DEFAULT_ROW_LIMIT),
      logStatus: { status: 'idle' },
      olderCursor: null,
      logFilter: NO_FILTER,
      details: {},
      agents: { status: 'idle' },
      presets: { status: 'idle' },
      tests: {},
      bridge,

      start() {
        const offEvents = bridge.subscribe(applyEvent);
        const offConnection = bridge.onConnection((connection) => {
          const was = get().connection;
          set({ connection });
          if (connection === 'online' && (was === 'offline' || was === 'signed-out')) void get().refresh();
        });
        void get().refresh();
        return () => {
          offEvents();
          offConnection();
        };
      },

      async refresh() {
        await Promise.all([loadState(), loadNewestRows()]);
      },

      reloadState: loadState,

      async switchBackend(id) {
        const state = await bridge.call('setActive', { backend: id });
        set({ engine: { status: 'ready', value: state } });
      },

      async setPaused(paused) {
        const state = await bridge.call('setPaused', { paused });
        set({ engine: { status: 'ready', value: state } });
      },

      async loadOlderRows() {
        const { olderCursor: cursor, log } = get();
        // Nothing older, or the buffer is full (older rows would fall off at once).
        if (cursor === null || log.rows.length >= log.limit) return;
        try {
          const page = await bridge.call('listRequests', { limit: FIRST_PAGE, cursor });
          set((s) => ({ log: prependOlder(s.log, page.items), olderCursor: page.nextCursor }));
        } catch (error) {
          set({ logStatus: { status: 'error', message: asBridgeError(error).message } });
        }
      },

      setLogFilter(filter) {
        set((s) => ({ logFilter: { ...s.logFilter, ...filter } }));
      },

      async loadDetail(id) {
        set((s) => ({ details: { ...s.details, [id]: { status: 'loading' } } }));
        try {
          const entry = await bridge.call('getRequest', { id });
          set((s) => ({ details: { ...s.details, [id]: { status: 'ready', value: entry } } }));
        } catch (error) {
          set((s) => ({ details: { ...s.details, [id]: { status: 'error', message: asBridgeError(error).message } } }));
        }
      },

      async loadAgents() {
        const prev = get().agents;
        set({ agents: { status: 'loading', ...('value' in prev && prev.value ? { value: prev.value } : {}) } });
        try {
          const { agents } = await bridge.call('listAgents');
          set({ agents: { status: 'ready', value: agents } });
        } catch (error) {
          set({ agents: { status: 'error', message: asBridgeError(error).message } });
        }
      },

      async loadPresets() {
        if (get().presets.status === 'ready') return;
        set({ presets: { status: 'loading' } });
        try {
          const { presets } = await bridge.call('listPresets');
          set({ presets: { status: 'ready', value: presets } });
        } catch (error) {
          set({ presets: { status: 'error', message: asBridgeError(error).message } });
        }
      },

      async testBackend(id) {
        set((s) => ({ tests: { ...s.tests, [id]: { running: true } } }));
        try {
          const diagnosis = await bridge.call('testBackend', { id });
          set((s) => ({ tests: { ...s.tests, [id]: { running: false, diagnosis } } }));
        } catch (error) {
          set((s) => ({ tests: { ...s.tests, [id]: { running: false, error: asBridgeError(error).message } } }));
        }
      },
    };
  });
}
