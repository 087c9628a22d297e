/**
 * The proxy server's own admin routes, `GET /api/state` and `PUT /api/active` (Bearer admin
 * token, checked by the guard): they serve the admin API bound to the app (the engine's, see
 * app/admin/http-host.ts) and, on a bare proxy server without one, the state and switch
 * commands over its registry and key source. Behaviour lives in app/api; this only routes.
 */
import type { FastifyInstance } from 'fastify';
import { boundAdminApi, registerAdminCommandRoutes } from '../../admin/http-host';
import { keySourceStatus } from '../../api/backend-view';
import { stateCommands } from '../../api/state-commands';
import type { BackendRegistry } from '../../routing/backend-registry';
import type { KeySource } from '../../vault/key-source';

export function registerAdminRoutes(app: FastifyInstance, registry: BackendRegistry, keySource: KeySource): void {
  const own = stateCommands({
    registry,
    failover: () => [],
    keyStatus: keySourceStatus(keySource),
    onSwitched: (active) => app.log.info({ active }, 'active backend switched'),
  });
  registerAdminCommandRoutes(app, () => boundAdminApi(app) ?? own, ['getState', 'setActive']);
}
