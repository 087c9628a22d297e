/** Framework-level failures (413, invalid JSON, unknown route, crashes) in the caller's format. */
import type { FastifyInstance } from 'fastify';
import { apiError } from '../ir/errors';
import { apiErrorFromFramework } from './client-errors';
import type { Refuse } from './refusals';

export function registerErrorHandlers(app: FastifyInstance, refuse: Refuse): void {
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, request, reply) => {
    const error = apiErrorFromFramework(err);
    if (error.status >= 500) request.log.error({ err }, 'request failed');
    return refuse(request, reply, error);
  });
  app.setNotFoundHandler((request, reply) => refuse(request, reply, apiError('not_found', `no route ${request.method} ${request.url.split('?', 1)[0]}`)));
}
