/**
 * The engine assembled: config store, backends, key vault, tokens, pacing and retries,
 * request log, live stats and the proxy server with its admin API. `patchbay serve` and the
 * Electron main process both start the engine through this one function.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { diagnoseBackend } from '../admin/backend-diagnosis';
import { registerAgentRoutes } from '../admin/agent-routes';
import { registerBackendRoutes } from '../admin/backend-routes';
import { registerEventRoutes } from '../admin/event-routes';
import { registerKeyRoutes } from '../admin/key-routes';
import { registerRequestRoutes } from '../admin/request-routes';
import { presetConfig } from '../config/presets';
import type { PatchbayConfig } from '../config/schema';
import { ConfigStore } from '../config/store';
import { BackendLimiter } from '../limits/backend-limiter';
import { RetryPolicy } from '../limits/retry-policy';
import { RequestLog } from '../log/request-log';
import { createProxyServer } from '../proxy/server';
import { defaultUiDir } from '../proxy/web/dashboard';
import { DashboardSessions } from '../proxy/web/dashboard-sessions';
import { BackendRegistry } from '../routing/backend-registry';
import { LiveStats } from '../stats/live-stats';
import type { KeychainVault } from '../vault/keychain-vault';
import { openVault } from '../vault/open-vault';

export interface EngineOptions {
  /** Config file to use (and to save edits to). Default: `<dataDir>/config.json`, seeded from the presets. */
  configPath?: string;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Keychain service name (tests use their own). */
  keychainService?: string;
  pingIntervalMs?: number;
  /** Server diagnostics (JSON lines on stdout) from this level up; default off. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** The built dashboard UI (default: dist/ui beside the bundle or the sources). */
  uiDir?: string;
}

export interface Engine {
  app: FastifyInstance;
  store: ConfigStore;
  registry: BackendRegistry;
  vault: KeychainVault;
  log: RequestLog;
  stats: LiveStats;
  clientToken(): string;
  adminToken(): string;
  /** Messages for the user at start (keychain unavailable, tokens not persistent, ...). */
  warnings: string[];
  /** The one-time link that signs a browser in to the dashboard (a new one after each use). */
  dashboardLoginUrl(baseUrl: string): string;
  listen(host: string, port: number): Promise<string>;
  close(): Promise<void>;
}

function limitsOf(config: PatchbayConfig) {
  return config.backends.map((b) => ({
    id: b.id,
    limits: { ...(b.rpm !== undefined ? { rpm: b.rpm } : {}), ...(b.maxConcurrency !== undefined ? { maxConcurrency: b.maxConcurrency } : {}) },
  }));
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const env = options.env ?? process.env;
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const store = await ConfigStore.open(options.configPath ?? join(dataDir, 'config.json'), () => presetConfig(env));
  const config = store.config;
  const warnings: string[] = [];

  const opened = await openVault({ env, ...(options.keychainService ? { service: options.keychainService } : {}) });
  const { vault } = opened;
  // The token warning repeats the keychain's reason when that is the cause: say it once.
  if (opened.keychainWarning && !opened.tokens.warning?.includes(opened.keychainWarning)) warnings.push(opened.keychainWarning);
  if (opened.tokens.warning) warnings.push(opened.tokens.warning);
  // Tokens pinned in the config file win over the keychain's.
  const clientToken = () => store.config.clientToken ?? vault.tokens.clientToken;
  const adminToken = () => store.config.adminToken ?? vault.tokens.adminToken;

  const registry = BackendRegistry.fromConfig(config);
  const limiter = new BackendLimiter({}, { defaultMaxWaitMs: config.limits?.maxQueueWaitMs ?? 120_000 });
  const stats = new LiveStats();
  stats.followLimiter(limiter);
  const applyLimits = (c: PatchbayConfig) => {
    for (const { id, limits } of limitsOf(c)) limiter.configure(id, limits);
    stats.configureBackends(c.backends.map((b) => ({ id: b.id, ...(b.rpm !== undefined ? { rpm: b.rpm } : {}) })));
  };
  applyLimits(config);
  const retryPolicy = new RetryPolicy({
    ...(config.limits?.maxAttempts !== undefined ? { maxAttempts: config.limits.maxAttempts } : {}),
    ...(config.limits?.retryDeadlineMs !== undefined ? { deadlineMs: config.limits.retryDeadlineMs } : {}),
  });

  const log = await RequestLog.open({
    dataDir,
    keepBodies: config.log?.bodies ?? false,
    ...(config.log?.maxFileBytes !== undefined ? { maxFileBytes: config.log.maxFileBytes } : {}),
    ...(config.log?.maxFiles !== undefined ? { maxFiles: config.log.maxFiles } : {}),
  });
  // Every configured key and token is scrubbed from anything the log keeps.
  const refreshKnownSecrets = async () => {
    const secrets = [clientToken(), adminToken()];
    for (const b of store.config.backends) {
      const key = await vault.getKey(b.id, b.apiKey).catch(() => undefined);
      if (key) secrets.push(key);
    }
    log.setKnownSecrets(secrets);
  };
  await refreshKnownSecrets();

  // Config edits flow into the live registry and limits; a switch through the registry is saved.
  store.onChange((c) => {
    // A switch made through the registry may be ahead of the saved config: keep it.
    const active = c.backends.some((b) => b.id === registry.active.id) ? registry.active.id : c.active;
    registry.replace(c.backends, active);
    applyLimits(c);
    void refreshKnownSecrets();
  });
  registry.on('change', ({ active }) => {
    if (store.config.active === active) return;
    store
      .update((c) => {
        c.active = active;
      })
      .catch((err: unknown) => warnings.push(`could not save the active backend: ${(err as Error).message}`));
  });

  const diagnose = async (id: string) => {
    const backend = registry.get(id);
    if (!backend) throw new Error(`no backend has id "${id}"`);
    const key = await vault.getKey(backend.id, backend.apiKey).catch(() => undefined);
    return diagnoseBackend(backend, key);
  };

  const dashboardSessions = new DashboardSessions();
  const app = await createProxyServer({
    dashboard: { sessions: dashboardSessions, uiDir: options.uiDir ?? defaultUiDir() },
    config,
    registry,
    keySource: vault,
    clientToken,
    adminToken,
    ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
    ...(options.logLevel !== undefined ? { logger: { level: options.logLevel } } : {}),
    policy: { limiter, retryPolicy, maxQueueWaitMs: config.limits?.maxQueueWaitMs ?? 120_000, failover: () => store.config.failover ?? [] },
    requestLog: log,
    stats,
    adminRoutes: async (admin) => {
      registerKeyRoutes(admin, {
        vault,
        store,
        hasBackend: (id) => registry.get(id) !== undefined,
        onKeyChanged: () => void refreshKnownSecrets(),
        onClientTokenRotated: () => void refreshKnownSecrets(),
      });
      registerBackendRoutes(admin, {
        store,
        keyStatus: async (b) => {
          if (b.apiKey === 'keychain') return vault.keyStatus(b.id).catch(() => ({ set: false }));
          const key = await vault.getKey(b.id, b.apiKey).catch(() => undefined);
          return { set: key !== undefined };
        },
        forgetKey: async (id) => {
          await vault.deleteKey(id).catch(() => undefined);
        },
        diagnose,
        activeId: () => registry.active.id,
      });
      await admin.register(registerRequestRoutes, { log });
      await admin.register(registerEventRoutes, { stats });
      await admin.register(registerAgentRoutes, {
        clientToken,
        activeModels: () => ({
          main: registry.active.model,
          small: registry.active.smallModel ?? registry.active.model,
          ...(registry.active.contextWindow !== undefined ? { contextWindow: registry.active.contextWindow } : {}),
        }),
        recordFile: join(dataDir, 'agents-written.json'),
        env: () => env,
      });
    },
  });

  let closed = false;
  return {
    app,
    store,
    registry,
    vault,
    log,
    stats,
    clientToken,
    adminToken,
    warnings,
    dashboardLoginUrl: (baseUrl) => `${baseUrl}/?login=${dashboardSessions.loginCode}`,
    async listen(host: string, port: number): Promise<string> {
      await app.listen({ host, port });
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await app.close();
      stats.close();
      await log.close();
    },
  };
}
