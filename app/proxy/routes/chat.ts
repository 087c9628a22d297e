/** `POST /v1/messages` (Anthropic clients) and `POST /v1/chat/completions` (OpenAI clients). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WireFormat } from '../../codecs/codec';
import type { ProxyDeps } from '../proxy-deps';
import type { Exchange } from '../paths/exchange';
import { passThrough } from '../paths/pass-through';
import { runExchange } from '../paths/run-exchange';
import { translated } from '../paths/translated';

/** Same format: pass-through; crossed formats: translate through the IR. */
function pathFor(ex: Exchange): (ex: Exchange) => Promise<void> {
  return ex.backend.format === ex.clientFormat ? (e) => passThrough(e, 'chat') : translated;
}

export function registerChatRoutes(app: FastifyInstance, deps: ProxyDeps): void {
  const handler = (format: WireFormat) => (request: FastifyRequest, reply: FastifyReply) =>
    runExchange(request, reply, format, deps, pathFor);
  app.post('/v1/messages', handler('anthropic'));
  app.post('/v1/chat/completions', handler('openai'));
}
