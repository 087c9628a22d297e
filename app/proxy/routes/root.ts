/** `GET /` and `HEAD /` (Claude Code probes it): alive, nothing else. */
import type { FastifyInstance } from 'fastify';

export function registerRootRoute(app: FastifyInstance): void {
  app.get('/', async () => ({ name: 'patchbay', ok: true }));
}
