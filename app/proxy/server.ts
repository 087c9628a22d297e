/**
 * The proxy server: guard, client routes, admin routes. Not listening: the caller binds it
 * (`app.listen({ host: '127.0.0.1', port })`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { PatchbayConfig } from '../config/schema';
import type { RequestLog } from '../log/request-log';
import type { BackendRegistry } from '../routing/backend-registry';
import type { LiveStats } from '../stats/live-stats';
import type { KeySource } from '../vault/key-source';
import { newEntryId } from '../log/request-log';
import { ResponsesStore } from '../responses-store';
import { registerErrorHandlers } from './error-handlers';
import { createAccessCheck, createGuard, type TokenSource } from './guard';
import { createModelCallLane } from './model-call-lane';
import { registerJsonParser } from './json-body';
import type { ProxyPause } from './proxy-pause';
import { refusalSender } from './refusals';
import type { InFlightRequests } from './request/in-flight';
import { singleAttemptPolicy, type ProxyPolicy } from './request/policy';
import type { ProxyDeps } from './request/proxy-request';
import { registerAdminRoutes } from './routes/admin';
import { registerModelsRoute } from './routes/models';
import { registerRootRoute } from './routes/root';
import { registerDashboard, registerLoginLinkRoute } from './web/dashboard';
import type { DashboardSessions } from './web/dashboard-sessions';
import { UpstreamClient } from './upstream/upstream-client';

export interface ProxyServerOptions {
  config: PatchbayConfig;
  registry: BackendRegistry;
  keySource: KeySource;
  /** Tokens, or getters for them (the client token can be rotated while running). */
  clientToken: TokenSource;
  adminToken: TokenSource;
  /** Registers further admin routes (keys, backends, request log, events); the guard covers them. */
  adminRoutes?: (app: FastifyInstance) => void | Promise<void>;
  /** Keep-alive interval on silent streams (default 10 s). */
  pingIntervalMs?: number;
  /** Diagnostics on stdout as JSON lines (pino): true = info, or a level; default off. Keys never appear. */
  logger?: boolean | { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' };
  /** Pacing, retries and failover; without it each request gets one attempt, unpaced (singleAttemptPolicy). */
  policy?: ProxyPolicy;
  /** One entry per proxied request; its id is returned as `x-patchbay-request-id`. */
  requestLog?: RequestLog;
  /** Live per-backend numbers, fed per upstream attempt. */
  stats?: LiveStats;
  /** The dashboard web page (`GET /`) and its browser sessions; without it `/` only says Patchbay is here. */
  dashboard?: { sessions: DashboardSessions; uiDir: string | undefined };
  /** Pause and resume from the tray or the dashboard; without it the proxy always serves. */
  pause?: ProxyPause;
  /** The model calls being served (the engine drains them on close). */
  inFlight?: InFlightRequests;
}

export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;
export const DEFAULT_PING_INTERVAL_MS = 10_000;
/** fastify's own default, kept on the server made here. */
const FASTIFY_KEEP_ALIVE_TIMEOUT_MS = 72_000;

export async function createProxyServer(opts: ProxyServerOptions): Promise<FastifyInstance> {
  const bodyLimit = opts.config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  // Model calls take the lane (model-call-lane.ts) before fastify sees them; set once the
  // engine's parts exist, before the server listens.
  const lane: { take?: (req: IncomingMessage, res: ServerResponse) => boolean } = {};
  const app = Fastify({
    bodyLimit,
    logger: opts.logger ?? false,
    // Streams may legitimately run for many minutes.
    requestTimeout: 0,
    // One id per request: the request-log entry, the x-patchbay-request-id header and the diagnostics' reqId.
    genReqId: () => newEntryId(),
    serverFactory: (fastifyHandler) => {
      const server = createServer((req, res) => {
        if (!lane.take?.(req, res)) fastifyHandler(req, res);
      });
      // What fastify sets on a server it makes itself (its defaults; requestTimeout as above).
      server.keepAliveTimeout = FASTIFY_KEEP_ALIVE_TIMEOUT_MS;
      server.requestTimeout = 0;
      server.setTimeout(0);
      return server;
    },
  });
  const upstream = new UpstreamClient();
  const deps: ProxyDeps = {
    registry: opts.registry,
    keySource: opts.keySource,
    upstream,
    pingIntervalMs: opts.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
    policy: opts.policy ?? singleAttemptPolicy(),
    responsesStore: new ResponsesStore(),
    ...(opts.requestLog ? { requestLog: opts.requestLog } : {}),
    ...(opts.stats ? { stats: opts.stats } : {}),
    ...(opts.inFlight ? { inFlight: opts.inFlight } : {}),
  };

  const refuse = refusalSender(opts.requestLog);
  registerJsonParser(app);
  registerErrorHandlers(app, refuse);
  const { dashboard } = opts;
  const access = {
    clientToken: opts.clientToken,
    adminToken: opts.adminToken,
    ...(opts.pause ? { isPaused: () => opts.pause!.paused } : {}),
    ...(dashboard ? { isDashboardSession: (value: string | undefined) => dashboard.sessions.isSession(value) } : {}),
  };
  app.addHook('onRequest', createGuard({ ...access, refuse }));
  lane.take = createModelCallLane({ deps, checkAccess: createAccessCheck(access), bodyLimit, requestLog: opts.requestLog, log: app.log });
  app.addHook('onClose', async () => upstream.close());

  if (dashboard) {
    await registerDashboard(app, dashboard);
    registerLoginLinkRoute(app, dashboard.sessions);
  } else {
    registerRootRoute(app);
  }
  registerModelsRoute(app, opts.registry);
  registerAdminRoutes(app, opts.registry, opts.keySource);
  await opts.adminRoutes?.(app);
  return app;
}
