/**
 * `POST /v1/messages/count_tokens`: forwarded to a backend whose format has the operation
 * (Anthropic), falling back to the local estimate when that backend does not offer it after all;
 * answered from the local estimate for any other backend.
 */
import { upstreamUrl } from '../upstream/upstream-target';
import { CountTokensNotOffered, passThrough } from './pass-through';
import type { ProxyRequest } from './proxy-request';

export async function countTokens(req: ProxyRequest): Promise<void> {
  if (req.backend.format === req.clientFormat && upstreamUrl(req.backend, 'count_tokens') !== undefined) {
    try {
      return await passThrough(req);
    } catch (err) {
      if (!(err instanceof CountTokensNotOffered)) throw err;
    }
  }
  req.chatRequest(); // an invalid body is a 400, not an estimate
  req.client.sendJson(200, {}, JSON.stringify({ input_tokens: req.promptEstimate() }));
}
