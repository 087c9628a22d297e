/**
 * `POST /v1/messages/count_tokens`: forwarded to an Anthropic-format backend (falling back to
 * the local estimate when the backend does not offer it); answered from the local estimate for
 * an OpenAI-format backend.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anthropicCodec } from '../../codecs/anthropic';
import { estimateRequestTokens } from '../../translate/token-estimate';
import type { Exchange } from '../paths/exchange';
import { CountTokensNotOffered, passThrough } from '../paths/pass-through';
import { runExchange } from '../paths/run-exchange';
import type { ProxyDeps } from '../proxy-deps';

export function registerCountTokensRoute(app: FastifyInstance, deps: ProxyDeps): void {
  app.post('/v1/messages/count_tokens', (request: FastifyRequest, reply: FastifyReply) =>
    runExchange(request, reply, 'anthropic', deps, (ex) => (ex.backend.format === 'anthropic' ? forwardOrEstimate : answerEstimate)),
  );
}

function estimate(ex: Exchange): number {
  // count_tokens bodies have no max_tokens; the request decoder wants one.
  const body = { ...ex.body, max_tokens: typeof ex.body.max_tokens === 'number' ? ex.body.max_tokens : 1, stream: false };
  return estimateRequestTokens(anthropicCodec.decodeRequest(body));
}

async function answerEstimate(ex: Exchange): Promise<void> {
  ex.client.sendJson(200, {}, JSON.stringify({ input_tokens: estimate(ex) }));
}

async function forwardOrEstimate(ex: Exchange): Promise<void> {
  try {
    await passThrough(ex, 'count_tokens');
  } catch (err) {
    if (!(err instanceof CountTokensNotOffered)) throw err;
    await answerEstimate(ex);
  }
}
