/**
 * The model calls agents make: `POST /v1/messages` (Anthropic clients, also `?beta=true`),
 * `POST /v1/messages/count_tokens` and `POST /v1/chat/completions` (OpenAI clients). Each is
 * one ProxyRequest served under the policy (app/proxy/request/).
 */
import type { FastifyInstance } from 'fastify';
import { handlerFor } from '../request/handle-request';
import type { ProxyDeps } from '../request/proxy-request';

export function registerModelCallRoutes(app: FastifyInstance, deps: ProxyDeps): void {
  app.post('/v1/messages', handlerFor(deps, 'anthropic', 'chat'));
  app.post('/v1/messages/count_tokens', handlerFor(deps, 'anthropic', 'count_tokens'));
  app.post('/v1/chat/completions', handlerFor(deps, 'openai', 'chat'));
}
