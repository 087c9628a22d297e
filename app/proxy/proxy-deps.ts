/** What the route handlers share: backends, keys, the upstream client, stream settings, pacing, log and stats. */
import type { BackendLimiter } from '../limits/backend-limiter';
import type { Clock } from '../limits/clock';
import type { RetryPolicy } from '../limits/retry-policy';
import type { RequestLog } from '../log/request-log';
import type { BackendRegistry } from '../routing/backend-registry';
import type { LiveStats } from '../stats/live-stats';
import type { KeySource } from '../vault/key-source';
import type { UpstreamClient } from './upstream/upstream-client';

/** Pacing, retries and failover (docs/adr/0004-pacing-and-retries.md). */
export interface ProxyPolicy {
  limiter: BackendLimiter;
  retryPolicy: RetryPolicy;
  /** Longest wait in a backend's queue (the limiter's default when absent). */
  maxQueueWaitMs?: number;
  /** Ordered backend ids from `config.failover` (read per request, so config changes apply). */
  failover: () => readonly string[];
  /** Time for backoffs and queue-wait accounting; give the limiter's clock (system clock by default). */
  clock?: Clock;
}

export interface ProxyDeps {
  registry: BackendRegistry;
  keySource: KeySource;
  upstream: UpstreamClient;
  pingIntervalMs: number;
  policy?: ProxyPolicy;
  requestLog?: RequestLog;
  stats?: LiveStats;
}
