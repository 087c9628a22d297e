/**
 * `getState` (the active backend, every backend's view, the failover order, paused or not, the
 * live stats and the request log's health), `setActive` (takes effect for the next request;
 * streams in flight finish where they started; saved by the engine) and `setPaused` (streams in
 * flight finish; new model calls are refused until resumed).
 */
import type { RequestLog } from '../log/request-log';
import { BackendNotFoundError, type BackendRegistry } from '../routing/backend-registry';
import type { LiveStats } from '../stats/live-stats';
import type { ProxyPause } from '../proxy/proxy-pause';
import { notFound, parseInput, unavailable } from './api-error';
import { backendView, type KeyStatusReader } from './backend-view';
import { COMMANDS, type AdminCommands, type State } from './contract';

export interface StateDeps {
  registry: BackendRegistry;
  /** The saved failover order. */
  failover(): string[];
  keyStatus: KeyStatusReader;
  /** Without live stats (a bare proxy server) the snapshot is empty. */
  stats?: Pick<LiveStats, 'snapshot'>;
  /** Without a request log its health reads as zero. */
  log?: Pick<RequestLog, 'getHealth' | 'inFlight' | 'keepsBodies'>;
  /** Told of a switch (diagnostics). */
  onSwitched?(active: string): void;
  /** Resolves once the switch is saved (the answer then matches the config file). */
  saved?(): Promise<void>;
  /** Pause and resume; without it the proxy always serves (`paused` reads false, `setPaused` is refused). */
  pause?: Pick<ProxyPause, 'paused' | 'set'>;
}

export async function readState(deps: StateDeps): Promise<State> {
  return {
    active: deps.registry.active.id,
    backends: await Promise.all(deps.registry.list().map((b) => backendView(b, deps.keyStatus))),
    failover: deps.failover(),
    paused: deps.pause?.paused ?? false,
    stats: deps.stats?.snapshot() ?? { time: new Date().toISOString(), backends: [] },
    requestLog: deps.log
      ? { ...deps.log.getHealth(), inFlight: deps.log.inFlight, keepBodies: deps.log.keepsBodies }
      : { skippedLines: 0, interrupted: 0, writeErrors: 0, dropped: 0, failing: null, inFlight: 0, keepBodies: false },
  };
}

export function stateCommands(deps: StateDeps): Pick<AdminCommands, 'getState' | 'setActive' | 'setPaused'> {
  return {
    getState: async () => readState(deps),
    setActive: async (input) => {
      const { backend } = parseInput(COMMANDS.setActive.input, input, 'input must be {"backend": "<backend id>"}');
      try {
        deps.registry.setActive(backend);
      } catch (err) {
        if (err instanceof BackendNotFoundError) throw notFound(err.message);
        throw err;
      }
      deps.onSwitched?.(backend);
      await deps.saved?.();
      return readState(deps);
    },
    setPaused: async (input) => {
      const { paused } = parseInput(COMMANDS.setPaused.input, input, 'input must be {"paused": true|false}');
      if (!deps.pause) throw unavailable('this Patchbay cannot be paused (no proxy is attached to this API)');
      deps.pause.set(paused);
      return readState(deps);
    },
  };
}
