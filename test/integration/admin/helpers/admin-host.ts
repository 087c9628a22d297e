/**
 * An admin API on a real socket for the admin route tests: a config store (presets unless
 * given), its registry, a vault (no keychain unless given), a request log and live stats in a
 * temp dir, `createAdminApi` over them and the HTTP host on a bare fastify app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { registerAdminHttpHost } from '../../../../app/admin/http-host';
import { createAdminApi, type AdminApiDeps } from '../../../../app/api/admin-api';
import type { AdminApi } from '../../../../app/api/contract';
import { presetConfig } from '../../../../app/config/presets';
import { ConfigStore } from '../../../../app/config/store';
import { RequestLog } from '../../../../app/log/request-log';
import { BackendRegistry } from '../../../../app/routing/backend-registry';
import { LiveStats } from '../../../../app/stats/live-stats';
import { KeychainVault } from '../../../../app/vault/keychain-vault';
import { createUnavailableStore, unavailable } from '../../../../app/vault/secret-store';

export interface AdminHost {
  app: FastifyInstance;
  url: string;
  api: AdminApi;
  dir: string;
  store: ConfigStore;
  registry: BackendRegistry;
  vault: KeychainVault;
  log: RequestLog;
  stats: LiveStats;
  close(): Promise<void>;
}

export interface AdminHostOptions {
  vault?: KeychainVault;
  /** Environment of the default vault (its env: keys). */
  env?: NodeJS.ProcessEnv;
  store?: ConfigStore;
  /** Presets read their keys from the keychain (instead of env:). */
  keychainBackends?: boolean;
  fastify?: FastifyServerOptions;
  api?: Partial<AdminApiDeps>;
  heartbeatMs?: number;
}

export async function startAdminHost(options: AdminHostOptions = {}): Promise<AdminHost> {
  const dir = mkdtempSync(join(tmpdir(), 'pb-admin-host-'));
  const seed = () => {
    const config = presetConfig({});
    if (options.keychainBackends) config.backends = config.backends.map((b) => ({ ...b, apiKey: 'keychain' }));
    return config;
  };
  const store = options.store ?? (await ConfigStore.open(join(dir, 'config.json'), seed));
  const registry = BackendRegistry.fromConfig(store.config);
  store.onChange((c) => registry.replace(c.backends, c.backends.some((b) => b.id === registry.active.id) ? registry.active.id : c.active));
  const vault = options.vault ?? new KeychainVault({ store: createUnavailableStore(unavailable('no keychain in this test')), env: options.env ?? {} });
  if (!options.vault) await vault.tokens.load();
  const log = await RequestLog.open({ dataDir: dir, flushDelayMs: 0 });
  const stats = new LiveStats({ backends: store.config.backends.map((b) => ({ id: b.id, ...(b.rpm !== undefined ? { rpm: b.rpm } : {}) })) });
  const api = createAdminApi({
    store,
    registry,
    vault,
    log,
    stats,
    clientToken: () => vault.tokens.clientToken,
    agentRecordFile: join(dir, 'agents-written.json'),
    env: () => ({}),
    ...options.api,
  });
  // forceCloseConnections: fetch's pooled keep-alive sockets would otherwise hold close() for seconds.
  const app = Fastify({ forceCloseConnections: true, ...options.fastify });
  await registerAdminHttpHost(app, api, options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {});
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  let closed = false;
  return {
    app,
    url,
    api,
    dir,
    store,
    registry,
    vault,
    log,
    stats,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      stats.close();
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
