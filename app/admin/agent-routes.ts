/**
 * Admin API for the agents (a fastify plugin; the admin token is checked by the server's guard):
 *   GET  /api/agents                 -> { agents: [{ id, name, snippets, warnings, written, needsRewrite }] }
 *   POST /api/agents/:id/preview     -> { files: [{ target, path, exists, changed, diff }] }
 *   POST /api/agents/:id/write       -> { files: [{ target, path, changed, backup?, sha256 }], warnings }
 *   POST /api/agents/:id/restore     -> { files: [{ target, path, restoredFrom }] }   body { force?: true }
 * 404 unknown agent / no backup; 409 a file that does not parse (nothing written) or, on restore,
 * a file edited since Patchbay wrote it. The inputs (URL, token, models) are read per request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AgentConfigService, ChangedSinceWrite, UnknownAgent } from '../agents/agent-config-service';
import type { AgentInput } from '../agents/types';
import { ConfigRefused, NoBackup } from '../agents/writers/agent-files';

export interface AgentRoutesOptions {
  /** The proxy's root URL (no /v1). Default: the URL this request reached (its loopback Host). */
  baseUrl?: () => string | undefined;
  clientToken: () => string;
  /** The active backend's models (`small` defaults to `main`) and context window. */
  activeModels: () => { main: string; small?: string; contextWindow?: number };
  /** File recording which agents' files were written (in the data dir). */
  recordFile: string;
  /** Environment checked for overriding variables (default process.env). */
  env?: () => NodeJS.ProcessEnv;
}

const restoreBody = z.object({ force: z.boolean().optional() }).strict();

function inputFor(request: FastifyRequest, opts: AgentRoutesOptions): AgentInput {
  const models = opts.activeModels();
  const baseUrl = opts.baseUrl?.() ?? `http://${request.headers.host ?? '127.0.0.1'}`;
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    clientToken: opts.clientToken(),
    models: { main: models.main, small: models.small ?? models.main },
    ...(models.contextWindow !== undefined ? { contextWindow: models.contextWindow } : {}),
  };
}

function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof UnknownAgent) return reply.code(404).send({ error: { type: 'not_found', message: err.message } });
  if (err instanceof NoBackup) return reply.code(404).send({ error: { type: 'no_backup', message: err.message, target: err.target } });
  if (err instanceof ConfigRefused) return reply.code(409).send({ error: { type: 'config_unparseable', message: err.message, target: err.target } });
  if (err instanceof ChangedSinceWrite) return reply.code(409).send({ error: { type: 'changed_since_write', message: err.message, targets: err.targets } });
  throw err;
}

export async function registerAgentRoutes(app: FastifyInstance, opts: AgentRoutesOptions): Promise<void> {
  const service = new AgentConfigService({ recordFile: opts.recordFile, ...(opts.env ? { env: opts.env } : {}) });

  app.get('/api/agents', async (request) => ({ agents: await service.list(inputFor(request, opts)) }));

  app.post<{ Params: { id: string } }>('/api/agents/:id/preview', async (request, reply) => {
    try {
      return { files: await service.preview(request.params.id, inputFor(request, opts)) };
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.post<{ Params: { id: string } }>('/api/agents/:id/write', async (request, reply) => {
    try {
      return await service.write(request.params.id, inputFor(request, opts));
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.post<{ Params: { id: string } }>('/api/agents/:id/restore', async (request, reply) => {
    const body = restoreBody.safeParse(request.body ?? {});
    if (!body.success) return reply.code(400).send({ error: { type: 'invalid_request', message: 'body: only {"force": true|false} is accepted' } });
    try {
      return { files: await service.restore(request.params.id, inputFor(request, opts), { force: body.data.force ?? false }) };
    } catch (err) {
      return sendError(reply, err);
    }
  });
}
