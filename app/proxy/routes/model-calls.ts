/**
 * The model calls agents make, as each format's codec names them: `POST /v1/messages` (+
 * `/count_tokens`, also `?beta=true`), `POST /v1/chat/completions`, `POST /v1/responses`. Each is
 * one ProxyRequest served under the policy (app/proxy/request/).
 */
import type { FastifyInstance } from 'fastify';
import { CLIENT_ROUTES } from '../client-format';
import { handlerFor } from '../request/handle-request';
import type { ProxyDeps } from '../request/proxy-request';

export function registerModelCallRoutes(app: FastifyInstance, deps: ProxyDeps): void {
  for (const route of CLIENT_ROUTES) app.post(route.path, handlerFor(deps, route.format, route.operation));
}
