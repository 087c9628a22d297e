/**
 * Admin API over the request log:
 *   GET /api/requests?backend=&status=&agent=&text=&limit=&cursor=  -> { items, nextCursor }
 *   GET /api/requests/:id                                           -> the entry (bodies when kept), 404 when unknown
 * Auth (the admin token) is applied by the caller.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MAX_LIST_LIMIT, isValidCursor } from '../log/log-index';
import type { ListQuery } from '../log/log-index';
import { isValidStatusFilter } from '../log/request-filter';
import type { RequestLog } from '../log/request-log';

export interface RequestRoutesOptions {
  log: Pick<RequestLog, 'list' | 'get'>;
}

const optionalText = z
  .string()
  .max(200)
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const listQuerySchema = z.object({
  backend: optionalText,
  agent: optionalText,
  text: optionalText,
  status: optionalText.refine((v) => v === undefined || isValidStatusFilter(v), {
    message: 'must be a status (429), a class (4xx) or "error" / "ok"',
  }),
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).optional(),
  cursor: optionalText.refine((v) => v === undefined || isValidCursor(v), { message: 'is not a cursor from this API' }),
});

function badRequest(issues: z.core.$ZodIssue[]): { error: { type: string; message: string } } {
  const message = issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
  return { error: { type: 'invalid_request', message } };
}

export async function registerRequestRoutes(app: FastifyInstance, { log }: RequestRoutesOptions): Promise<void> {
  app.get('/api/requests', async (request, reply) => {
    const parsed = listQuerySchema.safeParse(request.query ?? {});
    if (!parsed.success) return reply.code(400).send(badRequest(parsed.error.issues));
    const query: ListQuery = {};
    for (const [key, value] of Object.entries(parsed.data)) {
      if (value !== undefined) (query as Record<string, unknown>)[key] = value;
    }
    return log.list(query);
  });

  app.get<{ Params: { id: string } }>('/api/requests/:id', async (request, reply) => {
    const entry = await log.get(request.params.id);
    if (!entry) return reply.code(404).send({ error: { type: 'not_found', message: `no request with id "${request.params.id}"` } });
    return entry;
  });
}
