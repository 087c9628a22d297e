/**
 * Runs one proxied request on a hijacked reply: record it (request log, live stats), serve it
 * (one attempt, or under the pacing/retry/failover policy when there is one), and turn any
 * failure into an error in the client's format. A client hang-up aborts the upstream request
 * at once and finishes the log entry as aborted.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WireFormat } from '../../codecs/codec';
import { ApiErrorException, apiError, invalidRequest } from '../../ir/errors';
import type { ProxyDeps } from '../proxy-deps';
import { redactSecrets } from '../secrets';
import { ClientStream } from '../sse/client-stream';
import { AttemptStats } from './attempt-stats';
import { failExchange, type Exchange, type Json } from './exchange';
import { runOnce, type ExchangePath, type ExchangeRun } from './backend-attempt';
import { runWithPolicy } from './run-with-policy';
import { REQUEST_ID_HEADER, RequestRecord } from './request-record';

export type { ExchangePath } from './backend-attempt';

export async function runExchange(
  request: FastifyRequest,
  reply: FastifyReply,
  clientFormat: WireFormat,
  deps: ProxyDeps,
  choosePath: (ex: Exchange) => ExchangePath,
): Promise<void> {
  reply.hijack();
  const abort = new AbortController();
  const record = new RequestRecord(deps.requestLog, { inboundFormat: clientFormat, headers: request.headers, url: request.url });
  if (record.id !== undefined) reply.raw.setHeader(REQUEST_ID_HEADER, record.id);
  const client = new ClientStream(
    reply.raw,
    () => {
      abort.abort();
      record.clientGone();
    },
    record,
  );
  const keys: Array<string | undefined> = [];
  let requestedModel = '';
  try {
    const body = requestBody(request.body);
    requestedModel = body.model as string;
    record.started(body);
    const run: ExchangeRun = {
      request,
      clientFormat,
      body,
      requestedModel,
      client,
      signal: abort.signal,
      deps,
      choosePath,
      record,
      attempts: new AttemptStats(deps.stats),
      keys,
    };
    await (deps.policy ? runWithPolicy(run, deps.policy) : runOnce(run));
  } catch (err) {
    if (client.isGone) return;
    const answerTo = { client, clientFormat, requestedModel, observer: record };
    if (err instanceof ApiErrorException) {
      failExchange(answerTo, { ...err.apiError, message: redactSecrets(err.apiError.message, keys) });
    } else {
      request.log.error({ err: redactSecrets(err instanceof Error ? (err.stack ?? err.message) : String(err), keys) }, 'proxy failure');
      failExchange(answerTo, apiError('api_error', 'internal error in the proxy'));
    }
  } finally {
    client.stopPings();
    // Stop reading an upstream the client no longer needs (no-op once it completed).
    abort.abort();
    record.finish();
  }
}

function requestBody(body: unknown): Json {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('request body must be a JSON object');
  const json = body as Json;
  if (typeof json.model !== 'string' || json.model.trim() === '') throw invalidRequest('model: a model name is required', 'model');
  return json;
}
