/**
 * The loop the proxy runs around one upstream exchange: take a permit from the limiter, try,
 * back off (abortably) and try again while the policy allows, and move down the failover list
 * when a backend stays rate limited or down. A 429 pauses the backend for what its headers ask
 * (retry-after, x-ratelimit reset) or, when they say nothing, cuts the backend's learned rate;
 * the refused request goes back to the head of the backend's queue instead of retrying on a
 * timer of its own. An accepted answer lets the learned rate rise again.
 *
 * The permit of the successful attempt is handed back with the value: the caller releases it
 * when the exchange is over (stream finished or client gone). Failed attempts release theirs.
 */
import { abortReason, sleep } from './abort';
import type { BackendLimiter, Permit } from './backend-limiter';
import { Cancellation, type CancelSignal } from './cancellation';
import { systemClock, type Clock } from './clock';
import { shouldFailOver } from './failover';
import { isQueueTimeoutError } from './queue-timeout-error';
import { classifyFailure, type AttemptFailure, type FailureClass, type RetryPolicy } from './retry-policy';
import { UpstreamFailedError } from './upstream-failed-error';

export { UpstreamFailedError } from './upstream-failed-error';

/**
 * `ok: true`: the response is accepted (headers received, status not retryable) and nothing
 * will be retried any more. `ok: false`: see AttemptFailure.
 */
export type AttemptOutcome<T> = { ok: true; value: T } | ({ ok: false } & AttemptFailure);

export interface RetryInfo {
  backend: string;
  /** The attempt that failed (1-based, per backend). */
  attemptNo: number;
  /** The backoff; for a 429, what its headers ask for (the limiter paces the retry). */
  delayMs: number;
  failure: AttemptFailure;
}

export interface FailoverInfo {
  from: string;
  to: string;
  /** `queue_timeout`: its queue would have kept the request too long. */
  reason: FailureClass | 'queue_timeout';
}

export interface CallWithRetriesOptions<T> {
  /** Backends in the order to try: the active one, then its failover list (see failoverOrder). */
  backends: readonly string[];
  limiter: BackendLimiter;
  policy: RetryPolicy;
  /** One try against `backend`. May throw (treated as a failure with that error). */
  attempt: (backend: string, attemptNo: number, signal: CancelSignal) => Promise<AttemptOutcome<T>>;
  /** The client's signal: aborts queue waits, backoffs and is passed to each attempt. */
  signal?: CancelSignal;
  /** Longest queue wait per backend; the limiter's default when absent. */
  maxQueueWaitMs?: number;
  clock?: Clock;
  onQueued?: (backend: string, position: number) => void;
  onRetry?: (info: RetryInfo) => void;
  onFailover?: (info: FailoverInfo) => void;
}

export interface CallResult<T> {
  value: T;
  /** The backend that served. */
  backend: string;
  /** Release when the exchange is over. */
  permit: Permit;
  /** Attempts over all backends, the successful one included. */
  attempts: number;
  /** Repeats on the same backend (a failover's first try is not a retry). */
  retries: number;
  /** Time spent queued in the limiter, summed over attempts. */
  queueWaitMs: number;
  /** The first backend, when another one served. */
  failoverFrom?: string;
}

/**
 * Runs attempts until one is accepted. Throws the abort reason when `signal` aborts,
 * a QueueTimeoutError when the last backend's queue refused, and UpstreamFailedError otherwise.
 */
export async function callWithRetries<T>(options: CallWithRetriesOptions<T>): Promise<CallResult<T>> {
  const { backends, limiter, policy, attempt, signal, maxQueueWaitMs } = options;
  const clock = options.clock ?? systemClock;
  const attemptSignal = signal ?? new Cancellation();
  if (backends.length === 0) throw new Error('callWithRetries: no backend to try');

  const startedAt = clock.now();
  let attempts = 0;
  let retries = 0;
  let queueWaitMs = 0;
  let lastError: unknown;

  for (const [index, backend] of backends.entries()) {
    const next = backends[index + 1];
    let probes = 0;
    let requeueAtHead = false;
    for (let attemptNo = 1; ; attemptNo++) {
      if (signal?.aborted) throw abortReason(signal);

      let permit: Permit;
      try {
        permit = await limiter.acquire(backend, {
          signal,
          ...(maxQueueWaitMs !== undefined ? { maxWaitMs: maxQueueWaitMs } : {}),
          onQueued: (position) => options.onQueued?.(backend, position),
          // After a 429 the request keeps its turn: the head of the queue.
          ...(requeueAtHead ? { front: true, arrivedAt: startedAt } : {}),
        });
      } catch (error) {
        if (!isQueueTimeoutError(error)) throw error;
        lastError = error;
        if (next !== undefined) options.onFailover?.({ from: backend, to: next, reason: 'queue_timeout' });
        break;
      }
      queueWaitMs += permit.queuedMs;
      attempts++;

      let outcome: AttemptOutcome<T>;
      try {
        outcome = await attempt(backend, attemptNo, attemptSignal);
      } catch (error) {
        if (signal?.aborted) {
          permit.release();
          throw abortReason(signal);
        }
        outcome = { ok: false, error };
      }
      if (outcome.ok) {
        limiter.upstreamAccepted(permit);
        return {
          value: outcome.value,
          backend,
          permit,
          attempts,
          retries,
          queueWaitMs,
          ...(index > 0 ? { failoverFrom: backends[0] } : {}),
        };
      }
      permit.release();
      if (signal?.aborted) throw abortReason(signal);

      const failure: AttemptFailure = outcome;
      const now = clock.now();
      const is429 = failure.status === 429;
      // A 429 keeps every request to this backend away, not just this one: paused for as long
      // as its headers say (retry-after, a reset with nothing remaining), else (a bare 429) the
      // limiter learns a slower rate. Bare 429s are probes of an unknown limit: they have their
      // own attempt count. Either way the request goes back to the head of the queue.
      const waitMs = is429 ? policy.headerWaitMs(failure, now) : undefined;
      const bare429 = is429 && waitMs === undefined;
      if (bare429) {
        probes++;
        limiter.upstreamRefused(permit);
      } else if (waitMs !== undefined && waitMs > 0) {
        limiter.penalize(backend, now + waitMs);
      }
      const decision = bare429
        ? policy.decideRateLimited(failure, { attemptNo, startedAt, now, rateLimitedNo: probes })
        : policy.decide(failure, { attemptNo: attemptNo - probes, startedAt, now });
      if (decision.retry) {
        options.onRetry?.({ backend, attemptNo, delayMs: is429 ? (waitMs ?? 0) : decision.delayMs, failure });
        retries++;
        requeueAtHead = is429;
        if (!is429) await sleep(clock, decision.delayMs, signal);
        continue;
      }
      lastError = new UpstreamFailedError(backend, failure, decision.reason, attempts);
      const failureClass = classifyFailure(failure);
      const movable = decision.reason === 'max_attempts' || decision.reason === 'deadline';
      if (!movable || !shouldFailOver(failureClass)) throw lastError;
      if (next !== undefined) options.onFailover?.({ from: backend, to: next, reason: failureClass });
      break;
    }
  }
  throw lastError;
}
