/**
 * The admin API without a transport: `createAdminApi(deps)` gives one async method per command
 * of the contract (input validated by its schema, failures thrown as ApiCommandError with the
 * one shape) and `subscribe(listener)` for the events. The HTTP host (app/admin/http-host.ts)
 * and the Electron IPC host wrap it in a few lines each.
 */
import { diagnoseBackend } from './backend-diagnosis';
import type { ConfigStore } from '../config/store';
import type { RequestLog } from '../log/request-log';
import type { ProxyPause } from '../proxy/proxy-pause';
import type { BackendRegistry } from '../routing/backend-registry';
import type { LiveStats } from '../stats/live-stats';
import type { KeychainVault } from '../vault/keychain-vault';
import { agentCommands } from './agent-commands';
import { asApiError, noBackend } from './api-error';
import { backendCommands } from './backend-commands';
import { vaultKeyStatus } from './backend-view';
import type { AdminApi, AdminCommands, CommandName, Diagnosis } from './contract';
import { EventHub } from './event-hub';
import { keyCommands } from './key-commands';
import { requestCommands } from './request-commands';
import { readState, stateCommands } from './state-commands';

export interface AdminApiDeps {
  store: ConfigStore;
  registry: BackendRegistry;
  vault: KeychainVault;
  log: RequestLog;
  stats: LiveStats;
  clientToken(): string;
  /** Where agents' write records live (in the data dir). */
  agentRecordFile: string;
  /** Environment checked for agents' overriding variables (default process.env). */
  env?: () => NodeJS.ProcessEnv;
  /** HOME for the agents' files (default os.homedir() at call time). */
  home?: () => string;
  /** The proxy's root URL, when a caller does not say which it reached. */
  baseUrl?: () => string | undefined;
  /** Diagnose a backend (default: one cheap real request with its key). */
  diagnose?(id: string): Promise<Diagnosis>;
  /** After a backend's key was set or deleted (e.g. refresh the log's known secrets). */
  onKeyChanged?(backendId: string): void;
  /** After the client token was rotated. */
  onClientTokenRotated?(clientToken: string): void;
  /** After an active-backend switch through the API (diagnostics). */
  onSwitched?(active: string): void;
  /** The proxy's pause switch (the engine's); without it `setPaused` is refused as unavailable. */
  pause?: ProxyPause;
}

/** Every command throws only ApiCommandError (anything else becomes `internal`). */
function withOneErrorShape(commands: AdminCommands): AdminCommands {
  const wrapped: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(commands) as Array<[CommandName, (...args: unknown[]) => Promise<unknown>]>) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (err) {
        throw asApiError(err);
      }
    };
  }
  return wrapped as AdminCommands;
}

export function createAdminApi(deps: AdminApiDeps): AdminApi {
  const { store, registry, vault, log, stats } = deps;
  const keyStatus = vaultKeyStatus(vault);
  const stateDeps = {
    registry,
    failover: () => store.config.failover ?? [],
    saved: () => store.settled(),
    keyStatus,
    stats,
    log,
    ...(deps.onSwitched ? { onSwitched: deps.onSwitched } : {}),
    ...(deps.pause ? { pause: deps.pause } : {}),
  };
  const hub = new EventHub({
    stats,
    log,
    readState: () => readState(stateDeps),
    watchState: (changed) => {
      const offStore = store.onChange(changed);
      const offRegistry = registry.on('change', changed);
      const offPause = deps.pause?.onChange(changed);
      // The request log starting or stopping failing is in the state (requestLog.failing).
      const offLog = log.onHealthChange(changed);
      return () => {
        offStore();
        offRegistry();
        offPause?.();
        offLog();
      };
    },
  });

  const diagnose =
    deps.diagnose ??
    (async (id: string) => {
      const backend = registry.get(id);
      if (!backend) throw noBackend(id);
      const key = await vault.getKey(backend.id, backend.apiKey).catch(() => undefined);
      return diagnoseBackend(backend, key);
    });

  const commands = withOneErrorShape({
    ...stateCommands(stateDeps),
    ...backendCommands({
      store,
      keyStatus,
      forgetKey: async (id) => {
        await vault.deleteKey(id).catch(() => undefined);
      },
      diagnose,
      activeId: () => registry.active.id,
    }),
    ...keyCommands({
      vault,
      store,
      backend: (id) => registry.get(id),
      onKeyChanged: (id) => {
        stats.keyChanged(id);
        deps.onKeyChanged?.(id);
        hub.stateChanged();
      },
      onClientTokenRotated: (token) => deps.onClientTokenRotated?.(token),
    }),
    ...requestCommands({ log }),
    ...agentCommands({
      clientToken: deps.clientToken,
      activeModels: () => {
        const active = registry.active;
        return { main: active.model, small: active.smallModel ?? active.model, ...(active.contextWindow !== undefined ? { contextWindow: active.contextWindow } : {}) };
      },
      recordFile: deps.agentRecordFile,
      ...(deps.env ? { env: deps.env } : {}),
      ...(deps.home ? { home: deps.home } : {}),
      ...(deps.baseUrl ? { baseUrl: deps.baseUrl } : {}),
    }),
  });
  return { ...commands, subscribe: (listener) => hub.subscribe(listener) };
}
