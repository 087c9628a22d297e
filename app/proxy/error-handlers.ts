/** Framework-level failures (413, invalid JSON, unknown route, crashes) in the caller's format. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiError, type ApiError } from '../ir/errors';
import { adminError } from './admin-errors';
import { apiErrorFromFramework, encodeClientError } from './client-errors';
import { clientFormatOf } from './client-format';

function isAdminPath(url: string): boolean {
  const path = url.split('?', 1)[0] ?? '';
  return path === '/api' || path.startsWith('/api/');
}

function send(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  if (isAdminPath(request.url)) return reply.code(error.status).type('application/json').send(adminError(error.kind, error.message));
  const encoded = encodeClientError(clientFormatOf(request.url, request.headers), error);
  return reply.code(encoded.status).headers(encoded.headers).send(encoded.body);
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, request, reply) => {
    const error = apiErrorFromFramework(err);
    if (error.status >= 500) request.log.error({ err }, 'request failed');
    return send(request, reply, error);
  });
  app.setNotFoundHandler((request, reply) => send(request, reply, apiError('not_found', `no route ${request.method} ${request.url.split('?', 1)[0]}`)));
}
