/**
 * The engine assembled: config store, backends, key vault, tokens, pacing and retries,
 * request log, live stats and the proxy server with its admin API. `patchbay serve` and the
 * Electron main process both start the engine through this one function.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { registerAdminHttpHost } from '../admin/http-host';
import { createAdminApi } from '../api/admin-api';
import type { AdminApi } from '../api/contract';
import { presetConfig } from '../config/presets';
import type { PatchbayConfig } from '../config/schema';
import { ConfigStore } from '../config/store';
import { BackendLimiter } from '../limits/backend-limiter';
import { RetryPolicy } from '../limits/retry-policy';
import { RequestLog } from '../log/request-log';
import { ProxyPause } from '../proxy/proxy-pause';
import { InFlightRequests } from '../proxy/request/in-flight';
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
  /** On close, model calls in flight get this long to finish before they are cut (default 3 s). */
  closeGraceMs?: number;
}

export interface Engine {
  app: FastifyInstance;
  store: ConfigStore;
  registry: BackendRegistry;
  vault: KeychainVault;
  log: RequestLog;
  stats: LiveStats;
  /** The admin API without a transport (app/api): the HTTP routes and the IPC bridge wrap it. */
  api: AdminApi;
  clientToken(): string;
  adminToken(): string;
  /** Messages for the user at start (keychain unavailable, tokens not persistent, ...). */
  warnings: string[];
  /** The one-time link that signs a browser in to the dashboard (a new one after each use). */
  dashboardLoginUrl(baseUrl: string): string;
  listen(host: string, port: number): Promise<string>;
  /**
   * Stop: no new connections; model calls in flight finish within the grace or are cut with an
   * error in their format; the request log is flushed; the port is released.
   */
  close(): Promise<void>;
}

const DEFAULT_CLOSE_GRACE_MS = 3000;

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
  // Saves the registry's active backend as it is when the queued edit runs: comparing with the
  // saved config here would drop a switch back made while an earlier switch was being saved.
  registry.on('change', () => {
    store
      .update((c) => {
        if (c.backends.some((b) => b.id === registry.active.id)) c.active = registry.active.id;
      })
      .catch((err: unknown) => warnings.push(`could not save the active backend: ${(err as Error).message}`));
  });

  let listeningUrl: string | undefined;
  const pause = new ProxyPause();
  const inFlight = new InFlightRequests();
  const api = createAdminApi({
    pause,
    store,
    registry,
    vault,
    log,
    stats,
    clientToken,
    agentRecordFile: join(dataDir, 'agents-written.json'),
    env: () => env,
    baseUrl: () => listeningUrl,
    onKeyChanged: () => void refreshKnownSecrets(),
    onClientTokenRotated: () => void refreshKnownSecrets(),
  });

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
    pause,
    inFlight,
    adminRoutes: (admin) => registerAdminHttpHost(admin, api),
  });

  let closed = false;
  return {
    app,
    store,
    registry,
    vault,
    log,
    stats,
    api,
    clientToken,
    adminToken,
    warnings,
    dashboardLoginUrl: (baseUrl) => `${baseUrl}/?login=${dashboardSessions.loginCode}`,
    async listen(host: string, port: number): Promise<string> {
      await app.listen({ host, port });
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      listeningUrl = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
      return listeningUrl;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      // app.close() stops accepting at once but waits for open responses: drain them alongside.
      const closing = app.close();
      await inFlight.drain(options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS);
      // Connections whose response just ended are idle keep-alives now: close them rather than
      // wait out the keep-alive timeout (72 s); anything still open a second later is cut.
      app.server.closeIdleConnections();
      const cutAll = setTimeout(() => app.server.closeAllConnections(), 1000);
      await closing;
      clearTimeout(cutAll);
      stats.close();
      await log.close();
    },
  };
}
