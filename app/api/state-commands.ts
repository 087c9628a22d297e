/**
 * `getState` (the active backend, every backend's view, the failover order, the live stats and
 * the request log's health) and `setActive` (takes effect for the next request; streams in
 * flight finish where they started; saved by the engine).
 */
import type { RequestLog } from '../log/request-log';
import { BackendNotFoundError, type BackendRegistry } from '../routing/backend-registry';
import type { LiveStats } from '../stats/live-stats';
import { notFound, parseInput } from './api-error';
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
}

export async function readState(deps: StateDeps): Promise<State> {
  return {
    active: deps.registry.active.id,
    backends: await Promise.all(deps.registry.list().map((b) => backendView(b, deps.keyStatus))),
    failover: deps.failover(),
    stats: deps.stats?.snapshot() ?? { time: new Date().toISOString(), backends: [] },
    requestLog: deps.log
      ? { ...deps.log.getHealth(), inFlight: deps.log.inFlight, keepBodies: deps.log.keepsBodies }
      : { skippedLines: 0, writeErrors: 0, dropped: 0, inFlight: 0, keepBodies: false },
  };
}

export function stateCommands(deps: StateDeps): Pick<AdminCommands, 'getState' | 'setActive'> {
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
      return readState(deps);
    },
  };
}
