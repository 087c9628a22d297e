/**
 * A real proxy on 127.0.0.1:0 with pacing/retry/failover policy, a request log in a temp dir
 * and live stats, in front of the fake NIM and fake Moonshot (and any extra backends).
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { BackendConfig, PatchbayConfig } from '../../../../app/config/schema';
import { BackendLimiter } from '../../../../app/limits/backend-limiter';
import type { Clock } from '../../../../app/limits/clock';
import { RetryPolicy, type RetryPolicyOptions } from '../../../../app/limits/retry-policy';
import type { RequestEntry } from '../../../../app/log/request-entry';
import { RequestLog } from '../../../../app/log/request-log';
import { createProxyServer } from '../../../../app/proxy/server';
import { BackendRegistry } from '../../../../app/routing/backend-registry';
import { LiveStats } from '../../../../app/stats/live-stats';
import { EnvKeySource } from '../../../../app/vault/key-source';
import { startFakeMoonshot } from '../../../fakes/fake-moonshot';
import { startFakeNim } from '../../../fakes/fake-nim';
import type { FakeUpstream } from '../../../fakes/scenario';
import { makeTempDir, removeTempDirs } from '../../../helpers/temp-dirs';
import { ADMIN_TOKEN, CLIENT_TOKEN, waitFor } from '../proxy-harness';

export interface PolicyHarness {
  url: string;
  port: number;
  app: FastifyInstance;
  registry: BackendRegistry;
  nim: FakeUpstream;
  moonshot: FakeUpstream;
  limiter: BackendLimiter;
  log: RequestLog;
  stats: LiveStats;
  /** The finished log entry with this id (waits for it, bounded). */
  entry(id: string): Promise<RequestEntry>;
  close(): Promise<void>;
}

export interface PolicyHarnessOptions {
  active?: string;
  failover?: string[];
  /** rpm the fake NIM itself enforces (429 with NIM's body beyond it). */
  fakeNimRpm?: number;
  /** Clock of the limiter, the fake NIM's rpm window and the policy (default: real time). */
  clock?: Clock;
  retry?: RetryPolicyOptions;
  maxQueueWaitMs?: number;
  pingIntervalMs?: number;
  keepBodies?: boolean;
  nimOverrides?: Partial<BackendConfig>;
  moonshotOverrides?: Partial<BackendConfig>;
  extraBackends?: BackendConfig[];
  /** The fake NIM enforces this context window (prompt + max_tokens), as vLLM does. */
  fakeNimContextWindow?: number;
  /** How the fakes give response ids (default unique). */
  fakeNimResponseIds?: 'unique' | 'repeated' | 'omitted';
  fakeMoonshotResponseIds?: 'unique' | 'repeated';
  bodyLimitBytes?: number;
  /** Env of the key source (default: both fakes' keys). */
  env?: Record<string, string>;
}

export const NIM_KEY = 'nvapi-SECRET-nim-key-0123456789';
export const MOONSHOT_KEY = 'sk-SECRET-moonshot-key-0123456789';

export async function startPolicyHarness(opts: PolicyHarnessOptions = {}): Promise<PolicyHarness> {
  const clock = opts.clock;
  const nim = await startFakeNim({
    key: NIM_KEY,
    ...(opts.fakeNimRpm !== undefined ? { rpm: opts.fakeNimRpm } : {}),
    ...(clock ? { now: () => clock.now() } : {}),
    ...(opts.fakeNimContextWindow !== undefined ? { contextWindow: opts.fakeNimContextWindow } : {}),
    ...(opts.fakeNimResponseIds ? { responseIds: opts.fakeNimResponseIds } : {}),
  });
  const moonshot = await startFakeMoonshot({ key: MOONSHOT_KEY, ...(opts.fakeMoonshotResponseIds ? { responseIds: opts.fakeMoonshotResponseIds } : {}) });
  const backends: BackendConfig[] = [
    { id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:TEST_NIM_KEY', model: 'moonshotai/kimi-k2.6', kimi: true, fixedSampling: true, maxOutputTokens: 16384, ...opts.nimOverrides },
    { id: 'moonshot', format: 'anthropic', baseUrl: moonshot.url, apiKey: 'env:TEST_MOONSHOT_KEY', model: 'kimi-k2.6', smallModel: 'kimi-k2-turbo-preview', kimi: true, maxOutputTokens: 32000, ...opts.moonshotOverrides },
    ...(opts.extraBackends ?? []),
  ];
  const active = opts.active ?? 'nim';
  const config: PatchbayConfig = { active, backends, ...(opts.failover ? { failover: opts.failover } : {}), log: { bodies: opts.keepBodies ?? false }, ...(opts.bodyLimitBytes !== undefined ? { bodyLimitBytes: opts.bodyLimitBytes } : {}) };
  const registry = new BackendRegistry(backends, active);
  const limiter = new BackendLimiter({}, clock ? { clock } : {});
  for (const b of backends) {
    limiter.configure(b.id, { ...(b.rpm !== undefined ? { rpm: b.rpm } : {}), ...(b.maxConcurrency !== undefined ? { maxConcurrency: b.maxConcurrency } : {}) });
  }
  const dataDir = makeTempDir('policy');
  const log = await RequestLog.open({ dataDir, keepBodies: config.log?.bodies ?? false, knownSecrets: [NIM_KEY, MOONSHOT_KEY] });
  const stats = new LiveStats();
  stats.configureBackends(backends.map((b) => ({ id: b.id, ...(b.rpm !== undefined ? { rpm: b.rpm } : {}) })));
  const app = await createProxyServer({
    config,
    registry,
    keySource: new EnvKeySource(opts.env ?? { TEST_NIM_KEY: nim.key, TEST_MOONSHOT_KEY: moonshot.key }),
    clientToken: CLIENT_TOKEN,
    adminToken: ADMIN_TOKEN,
    ...(opts.pingIntervalMs !== undefined ? { pingIntervalMs: opts.pingIntervalMs } : {}),
    policy: {
      limiter,
      retryPolicy: new RetryPolicy({ baseDelayMs: 5, ...opts.retry }),
      ...(opts.maxQueueWaitMs !== undefined ? { maxQueueWaitMs: opts.maxQueueWaitMs } : {}),
      failover: () => config.failover ?? [],
      ...(clock ? { clock } : {}),
    },
    requestLog: log,
    stats,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    app,
    registry,
    nim,
    moonshot,
    limiter,
    log,
    stats,
    async entry(id: string): Promise<RequestEntry> {
      await waitFor(() => log.list({ limit: 500 }).items.some((e) => e.id === id), `log entry ${id}`);
      const found = await log.get(id);
      if (!found) throw new Error(`log entry ${id} vanished`);
      return found;
    },
    async close() {
      await app.close();
      await Promise.all([nim.close(), moonshot.close()]);
      await log.close();
      stats.close();
      removeTempDirs(dataDir);
    },
  };
}

/** A loopback port nothing listens on (connection refused). */
export async function closedPortUrl(path = '/v1'): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}
