/**
 * What the proxy runs every request under: pacing, retries, failover (docs/adr/0004). There is
 * always one: a server built without it (tests, tools) gets `singleAttemptPolicy()`, which
 * paces nothing and tries once, so tests run the same code as production.
 */
import { BackendLimiter } from '../../limits/backend-limiter';
import type { Clock } from '../../limits/clock';
import { RetryPolicy } from '../../limits/retry-policy';

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

/** No pacing, one attempt, no failover: every upstream answer reaches the client as it is. */
export function singleAttemptPolicy(): ProxyPolicy {
  return { limiter: new BackendLimiter(), retryPolicy: new RetryPolicy({ maxAttempts: 1 }), failover: () => [] };
}
