/**
 * Serves a request under the policy, and chooses its path: the one place that decides which
 * backends are tried, in which order, and how each attempt runs.
 *
 * - Order: a `<backendId>/<model>` request is pinned to that backend; otherwise the active
 *   backend, then the `failover` list. A prompt over the first backend's context window goes to
 *   its `overflowTo` backend instead (when that one is usable), and so does a prompt the upstream
 *   refuses as too long.
 * - Each attempt waits for a permit from the limiter, points the request at the backend (route,
 *   key) and runs its path: count_tokens, pass-through (same format) or translate. Retryable
 *   upstream failures come back as RetryableUpstreamFailure and are retried, then failed over;
 *   anything else thrown is final and reaches the client as it is.
 */
import type { BackendConfig } from '../../config/schema';
import { ApiErrorException, apiError } from '../../ir/errors';
import { systemClock } from '../../limits/clock';
import { failoverOrder } from '../../limits/failover';
import { isQueueTimeoutError } from '../../limits/queue-timeout-error';
import { callWithRetries, UpstreamFailedError, type AttemptOutcome } from '../../limits/retrying-call';
import { resolveRoute, routeOn, type ResolvedRoute } from '../../routing/model-router';
import type { BackendRegistry } from '../../routing/backend-registry';
import { codecFor } from '../../codecs/registry';
import { backendKey } from '../upstream/backend-key';
import { RetryableUpstreamFailure } from '../upstream/retryable-failure';
import { ContextOverflowed, contextOverflowForClient, exceedsWindow, promptTooLongFor } from './context-window';
import { countTokens } from './count-tokens';
import { passThrough } from './pass-through';
import type { ProxyRequest } from './proxy-request';
import { translate } from './translate';

export async function serveRequest(req: ProxyRequest): Promise<void> {
  const { registry, policy } = req.deps;
  const pinned = pinnedRoute(registry, req.requestedModel);
  let order = pinned ? [pinned.backend.id] : failoverOrder(registry.active.id, policy.failover()).filter((id) => registry.get(id));
  if (req.body.stream === true) req.client.startPings(codecFor(req.clientFormat).wire.pingFrame, req.deps.pingIntervalMs);

  const first = registry.get(order[0] as string) as BackendConfig;
  if (exceedsWindow(req, first)) {
    const target = await overflowTarget(req, first);
    if (target) order = [target.id];
  }
  try {
    await runOn(req, order, pinned);
  } catch (err) {
    if (!(err instanceof ContextOverflowed)) throw err;
    const target = await overflowTarget(req, req.backend);
    if (!target) throw new ApiErrorException(contextOverflowForClient(err.refusal, req) ?? err.refusal);
    await runOn(req, [target.id], undefined);
  }
}

/** Runs attempts on `order` under the policy until one is accepted; throws what the client must be told. */
async function runOn(req: ProxyRequest, order: string[], pinned: ResolvedRoute | undefined): Promise<void> {
  const { registry, policy } = req.deps;
  const clock = policy.clock ?? systemClock;
  let queuedAt: number | undefined;
  const leaveQueue = (): void => {
    req.record.leftQueue(queuedAt === undefined ? 0 : clock.now() - queuedAt);
    queuedAt = undefined;
  };
  const attempt = async (backendId: string): Promise<AttemptOutcome<undefined>> => {
    leaveQueue();
    const route = pinned ?? routeOn(registry, registry.get(backendId) as BackendConfig, req.requestedModel);
    try {
      await runAttempt(req, route, backendId === order[0] ? undefined : order[0]);
      return { ok: true, value: undefined };
    } catch (err) {
      if (!(err instanceof RetryableUpstreamFailure)) throw err; // final: the policy does not retry it
      return { ok: false, error: err, ...(err.status !== undefined ? { status: err.status } : {}), ...(err.headers ? { headers: err.headers } : {}) };
    }
  };

  let result;
  try {
    result = await callWithRetries<undefined>({
      backends: order,
      limiter: policy.limiter,
      policy: policy.retryPolicy,
      attempt,
      signal: req.signal,
      clock,
      ...(policy.maxQueueWaitMs !== undefined ? { maxQueueWaitMs: policy.maxQueueWaitMs } : {}),
      onQueued: (backendId) => {
        queuedAt = clock.now();
        req.record.queued(backendId);
      },
      onRetry: ({ backend }) => req.record.retried(backend),
      onFailover: ({ reason }) => {
        if (reason === 'queue_timeout') leaveQueue();
      },
    });
  } catch (err) {
    leaveQueue();
    throw clientErrorOf(err);
  }
  result.permit.release();
}

/** One attempt on `route`'s backend: window check, key, then the request's path. */
async function runAttempt(req: ProxyRequest, route: ResolvedRoute, failoverFrom: string | undefined): Promise<void> {
  const { backend, upstreamModel } = route;
  if (route.substituted) req.log.info({ requested: req.requestedModel, backend: backend.id, model: upstreamModel }, 'model name substituted');
  req.record.served(backend.id, upstreamModel, failoverFrom);
  if (exceedsWindow(req, backend)) throw new ApiErrorException(promptTooLongFor(req, backend));
  // The fix in a "no key" message names this proxy's own URL, as the client reached it.
  const proxyUrl = typeof req.headers.host === 'string' ? `http://${req.headers.host}` : undefined;
  req.target(backend, upstreamModel, await backendKey(req.deps.keySource, backend, proxyUrl ? { proxyUrl } : {}));
  let threw = false;
  try {
    if (req.operation === 'count_tokens') await countTokens(req);
    else if (backend.format === req.clientFormat && !codecFor(req.clientFormat).wire.keepsHistory(req.body)) await passThrough(req);
    else await translate(req);
  } catch (err) {
    threw = !(err instanceof RetryableUpstreamFailure);
    throw err;
  } finally {
    req.record.attemptFinished(threw);
  }
}

/** `from`'s overflow backend when it can take the request now (known, has its key, and the prompt fits it). */
async function overflowTarget(req: ProxyRequest, from: BackendConfig): Promise<BackendConfig | undefined> {
  const target = from.overflowTo !== undefined && from.overflowTo !== from.id ? req.deps.registry.get(from.overflowTo) : undefined;
  if (!target || exceedsWindow(req, target)) return undefined;
  if (target.apiKey !== 'none') {
    const key = await req.deps.keySource.getKey(target.id, target.apiKey).catch(() => undefined);
    if (key === undefined) return undefined;
  }
  req.overflowedFrom = from.id;
  req.record.overflowed(from.id, target.id);
  req.log.info({ from: from.id, to: target.id, estimate: req.promptEstimate() }, 'prompt over the context window: sent to the overflow backend');
  return target;
}

/** The route of a request pinned to a backend with `<backendId>/<model>`, else undefined. */
function pinnedRoute(registry: BackendRegistry, requestedModel: string): ResolvedRoute | undefined {
  const slash = requestedModel.indexOf('/');
  if (slash <= 0 || !registry.get(requestedModel.slice(0, slash))) return undefined;
  return resolveRoute(registry, requestedModel);
}

/** What the client is told when the policy gives up. */
function clientErrorOf(err: unknown): unknown {
  const cause = err instanceof UpstreamFailedError ? err.failure.error : err;
  if (cause instanceof RetryableUpstreamFailure) return new ApiErrorException(cause.apiError);
  if (isQueueTimeoutError(cause)) {
    return new ApiErrorException(apiError('rate_limit', cause.message, { retryAfterSeconds: cause.retryAfterSeconds }));
  }
  return cause;
}
