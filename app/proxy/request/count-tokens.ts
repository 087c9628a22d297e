/**
 * `POST /v1/messages/count_tokens`: forwarded to an Anthropic-format backend (falling back to
 * the local estimate when the backend does not offer it); answered from the local estimate for
 * any other backend.
 */
import { CountTokensNotOffered, passThrough } from './pass-through';
import type { ProxyRequest } from './proxy-request';

export async function countTokens(req: ProxyRequest): Promise<void> {
  if (req.backend.format === 'anthropic') {
    try {
      return await passThrough(req);
    } catch (err) {
      if (!(err instanceof CountTokensNotOffered)) throw err;
    }
  }
  req.chatRequest(); // an invalid body is a 400, not an estimate
  req.client.sendJson(200, {}, JSON.stringify({ input_tokens: req.promptEstimate() }));
}
