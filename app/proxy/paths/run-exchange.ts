/**
 * Runs one proxied request on a hijacked reply: resolve the backend, fetch its key, hand over
 * to a path, and turn any failure into an error in the client's format. A client hang-up
 * aborts the upstream request at once.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WireFormat } from '../../codecs/codec';
import { ApiErrorException, apiError, invalidRequest } from '../../ir/errors';
import { resolveRoute } from '../../routing/model-router';
import type { ProxyDeps } from '../proxy-deps';
import { redactSecrets } from '../secrets';
import { ClientStream } from '../sse/client-stream';
import { backendKey } from '../upstream/backend-key';
import { failExchange, type Exchange, type Json } from './exchange';

export type ExchangePath = (ex: Exchange) => Promise<void>;

export async function runExchange(
  request: FastifyRequest,
  reply: FastifyReply,
  clientFormat: WireFormat,
  deps: ProxyDeps,
  choosePath: (ex: Exchange) => ExchangePath,
): Promise<void> {
  reply.hijack();
  const abort = new AbortController();
  const client = new ClientStream(reply.raw, () => abort.abort());
  let requestedModel = '';
  let key: string | undefined;
  try {
    const body = requestBody(request.body);
    requestedModel = body.model as string;
    const route = resolveRoute(deps.registry, requestedModel);
    if (route.substituted) {
      request.log.info({ requested: requestedModel, backend: route.backend.id, model: route.upstreamModel }, 'model name substituted');
    }
    key = await backendKey(deps.keySource, route.backend);
    const ex: Exchange = {
      clientFormat,
      body,
      clientHeaders: request.headers,
      requestedModel,
      backend: route.backend,
      upstreamModel: route.upstreamModel,
      key,
      client,
      signal: abort.signal,
      upstream: deps.upstream,
      pingIntervalMs: deps.pingIntervalMs,
      log: request.log,
    };
    await choosePath(ex)(ex);
  } catch (err) {
    if (client.isGone) return;
    if (err instanceof ApiErrorException) {
      failExchange({ client, clientFormat, requestedModel }, { ...err.apiError, message: redactSecrets(err.apiError.message, [key]) });
    } else {
      request.log.error({ err: redactSecrets(err instanceof Error ? (err.stack ?? err.message) : String(err), [key]) }, 'proxy failure');
      failExchange({ client, clientFormat, requestedModel }, apiError('api_error', 'internal error in the proxy'));
    }
  } finally {
    client.stopPings();
    // Stop reading an upstream the client no longer needs (no-op once it completed).
    abort.abort();
  }
}

function requestBody(body: unknown): Json {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('request body must be a JSON object');
  const json = body as Json;
  if (typeof json.model !== 'string' || json.model.trim() === '') throw invalidRequest('model: a model name is required', 'model');
  return json;
}
