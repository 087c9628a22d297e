/**
 * Serves every model call (taken in by the model-call lane, app/proxy/model-call-lane.ts): open
 * its record (request log, live stats), make the one ProxyRequest, serve it under the policy
 * (serve-request.ts), and turn any failure into an error in the client's format. A client
 * hang-up aborts the upstream request at once and finishes the log entry as aborted; a request
 * cut by the engine closing (in-flight.ts) ends with an error in its format; the record is
 * closed whatever happens.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { WireFormat } from '../../codecs/codec';
import { ApiErrorException, apiError, invalidRequest, type ApiError } from '../../ir/errors';
import { Cancellation } from '../../limits/cancellation';
import { redactSecrets } from '../secrets';
import { ClientStream } from '../sse/client-stream';
import { answerError, ProxyRequest, type Json, type Operation, type ProxyDeps } from './proxy-request';
import { SHUTTING_DOWN } from './in-flight';
import { REQUEST_ID_HEADER, RequestRecord } from './request-record';
import { serveRequest } from './serve-request';

const REQUEST_ENDED = new Error('the request is over');

/** One model call as it arrived: its id, URL, headers, parsed body, diagnostics and response. */
export interface ModelCall {
  id: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when the body was empty). */
  body: unknown;
  log: FastifyBaseLogger;
  res: ServerResponse;
}

export async function handleRequest(request: ModelCall, deps: ProxyDeps, clientFormat: WireFormat, operation: Operation): Promise<void> {
  const abort = new Cancellation();
  const untrack = deps.inFlight?.add(() => abort.abort(SHUTTING_DOWN));
  const record = new RequestRecord(deps.requestLog, deps.stats, { inboundFormat: clientFormat, headers: request.headers, url: request.url, id: request.id });
  request.res.setHeader(REQUEST_ID_HEADER, request.id);
  const client = new ClientStream(
    request.res,
    () => {
      abort.abort();
      record.clientGone();
    },
    record,
  );
  let req: ProxyRequest | undefined;
  try {
    const body = requestBody(request.body);
    record.started(body);
    req = new ProxyRequest({ deps, clientFormat, operation, body, headers: request.headers, client, signal: abort, log: request.log, record });
    await serveRequest(req);
    // Cut by the engine closing: the paths stop quietly on an abort; say why before the end.
    if (abort.reason === SHUTTING_DOWN && !client.isGone && !request.res.writableEnded) {
      answerError(client, record, clientFormat, SHUTTING_DOWN.apiError, req.requestedModel);
    }
  } catch (thrown) {
    if (client.isGone) return;
    const err = abort.reason === SHUTTING_DOWN ? SHUTTING_DOWN : thrown;
    const keys = req?.keys ?? [];
    const answer = (error: ApiError) => answerError(client, record, clientFormat, error, req?.requestedModel);
    if (err instanceof ApiErrorException) {
      answer({ ...err.apiError, message: redactSecrets(err.apiError.message, keys) });
    } else {
      request.log.error({ err: redactSecrets(err instanceof Error ? (err.stack ?? err.message) : String(err), keys) }, 'proxy failure');
      answer(apiError('api_error', 'internal error in the proxy'));
    }
  } finally {
    untrack?.();
    client.stopPings();
    // Stop reading an upstream the client no longer needs (no-op once it completed). A shared
    // reason: a fresh one would build a DOMException, stack and all, on every request.
    abort.abort(REQUEST_ENDED);
    record.finish();
  }
}

function requestBody(body: unknown): Json {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('request body must be a JSON object');
  const json = body as Json;
  if (typeof json.model !== 'string' || json.model.trim() === '') throw invalidRequest('model: a model name is required', 'model');
  return json;
}
