/**
 * One client request being served, and one attempt of it on a given backend: fetch the key,
 * build the Exchange for that backend (so a failover may cross formats: the path and the
 * upstream body are chosen per backend) and run its path.
 */
import type { FastifyRequest } from 'fastify';
import type { WireFormat } from '../../codecs/codec';
import { resolveRoute, type ResolvedRoute } from '../../routing/model-router';
import type { ProxyDeps } from '../proxy-deps';
import type { ClientStream } from '../sse/client-stream';
import { AttemptSender } from '../upstream/attempt-sender';
import { backendKey } from '../upstream/backend-key';
import { RetryableUpstreamFailure } from '../upstream/retryable-failure';
import type { AttemptStats } from './attempt-stats';
import type { Exchange, Json } from './exchange';
import type { RequestRecord } from './request-record';

export type ExchangePath = (ex: Exchange) => Promise<void>;

export interface ExchangeRun {
  request: FastifyRequest;
  clientFormat: WireFormat;
  body: Json;
  requestedModel: string;
  client: ClientStream;
  /** Aborted when the client hangs up. */
  signal: AbortSignal;
  deps: ProxyDeps;
  choosePath: (ex: Exchange) => ExchangePath;
  record: RequestRecord;
  attempts: AttemptStats;
  /** Keys used so far (scrubbed from any error text). */
  keys: Array<string | undefined>;
}

/** Without a policy: one attempt on the routed backend, its answer relayed whatever it is. */
export async function runOnce(run: ExchangeRun): Promise<void> {
  await attemptOn(run, resolveRoute(run.deps.registry, run.requestedModel), false);
}

/**
 * Runs the path on `route`'s backend. With `retrying`, a retryable upstream failure (before
 * any content reached the client) is thrown as RetryableUpstreamFailure for the caller to retry.
 */
export async function attemptOn(run: ExchangeRun, route: ResolvedRoute, retrying: boolean, failoverFrom?: string): Promise<void> {
  const { backend, upstreamModel } = route;
  if (route.substituted) {
    run.request.log.info({ requested: run.requestedModel, backend: backend.id, model: upstreamModel }, 'model name substituted');
  }
  run.record.served(backend.id, upstreamModel, failoverFrom);
  const key = await backendKey(run.deps.keySource, backend);
  run.keys.push(key);
  const ex: Exchange = {
    clientFormat: run.clientFormat,
    body: run.body,
    clientHeaders: run.request.headers,
    requestedModel: run.requestedModel,
    backend,
    upstreamModel,
    key,
    client: run.client,
    signal: run.signal,
    upstream: new AttemptSender(run.deps.upstream, { retrying, canRetry: () => !run.client.hasContent, listener: run.attempts }),
    pingIntervalMs: run.deps.pingIntervalMs,
    log: run.request.log,
    observer: run.record,
  };
  let threw = false;
  try {
    await run.choosePath(ex)(ex);
  } catch (err) {
    threw = !(err instanceof RetryableUpstreamFailure);
    throw err;
  } finally {
    run.attempts.finished(run.record.tokens, threw || run.record.failedAlready);
  }
}
