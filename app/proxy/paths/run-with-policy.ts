/**
 * Serving a request under the pacing/retry/failover policy (docs/adr/0004-pacing-and-retries.md):
 * every attempt takes a permit from the limiter (held until the exchange is completely over),
 * retryable failures are tried again only while no content reached the client, and the
 * request moves down `failoverOrder(active, failover)` when a backend stays rate limited or
 * down. A request pinned with `<backendId>/<model>` uses that backend only. Streaming clients
 * get pings while they wait. When everything fails, the client gets the last upstream error
 * (or the queue's 429 with retry-after) in its own format.
 */
import { ApiErrorException, apiError } from '../../ir/errors';
import { systemClock } from '../../limits/clock';
import { failoverOrder } from '../../limits/failover';
import { isQueueTimeoutError } from '../../limits/queue-timeout-error';
import { callWithRetries, UpstreamFailedError, type AttemptOutcome } from '../../limits/retrying-call';
import { resolveRoute, type ResolvedRoute } from '../../routing/model-router';
import type { BackendRegistry } from '../../routing/backend-registry';
import type { ProxyPolicy } from '../proxy-deps';
import { pingFrame } from '../sse/ping-frames';
import { RetryableUpstreamFailure } from '../upstream/retryable-failure';
import { attemptOn, type ExchangeRun } from './backend-attempt';

export async function runWithPolicy(run: ExchangeRun, policy: ProxyPolicy): Promise<void> {
  const { registry } = run.deps;
  const clock = policy.clock ?? systemClock;
  const pinned = pinnedRoute(registry, run.requestedModel);
  const order = pinned ? [pinned.backend.id] : failoverOrder(registry.active.id, policy.failover()).filter((id) => registry.get(id));
  if (run.body.stream === true) run.client.startPings(pingFrame(run.clientFormat), run.deps.pingIntervalMs);

  let queuedAt: number | undefined;
  const leaveQueue = (): void => {
    if (queuedAt !== undefined) run.record.addQueueWait(clock.now() - queuedAt);
    queuedAt = undefined;
    run.attempts.left();
  };
  const attempt = async (backendId: string): Promise<AttemptOutcome<unknown>> => {
    leaveQueue();
    const route = pinned ?? resolveRoute(registry, `${backendId}/${run.requestedModel}`);
    try {
      await attemptOn(run, route, true, backendId === order[0] ? undefined : order[0]);
      return { ok: true, value: undefined };
    } catch (err) {
      if (!(err instanceof RetryableUpstreamFailure)) return { ok: true, value: err }; // answered below, never retried
      return { ok: false, error: err, ...(err.status !== undefined ? { status: err.status } : {}), ...(err.headers ? { headers: err.headers } : {}) };
    }
  };

  let result;
  try {
    result = await callWithRetries<unknown>({
      backends: order,
      limiter: policy.limiter,
      policy: policy.retryPolicy,
      attempt,
      signal: run.signal,
      clock,
      ...(policy.maxQueueWaitMs !== undefined ? { maxQueueWaitMs: policy.maxQueueWaitMs } : {}),
      onQueued: (backendId) => {
        queuedAt = clock.now();
        run.attempts.queued(backendId);
      },
      onRetry: ({ backend }) => {
        run.record.retried();
        run.attempts.retried(backend);
      },
      onFailover: ({ reason }) => {
        if (reason === 'queue_timeout') leaveQueue();
      },
    });
  } catch (err) {
    leaveQueue();
    throw clientErrorOf(err);
  }
  result.permit.release();
  if (result.value !== undefined) throw result.value;
}

/** The route of a request pinned to a backend with `<backendId>/<model>`, else undefined. */
function pinnedRoute(registry: BackendRegistry, requestedModel: string): ResolvedRoute | undefined {
  const slash = requestedModel.indexOf('/');
  if (slash <= 0 || !registry.get(requestedModel.slice(0, slash))) return undefined;
  return resolveRoute(registry, requestedModel);
}

/** What the client is told when the policy gives up. */
function clientErrorOf(err: unknown): unknown {
  if (err instanceof UpstreamFailedError && err.failure.error instanceof RetryableUpstreamFailure) {
    return new ApiErrorException(err.failure.error.apiError);
  }
  if (isQueueTimeoutError(err)) {
    return new ApiErrorException(apiError('rate_limit', err.message, { retryAfterSeconds: err.retryAfterSeconds }));
  }
  return err;
}
