/** OpenAI Responses on the wire: routes, paths, auth, stream ends, pings, overflow wording (see WireFacts). */
import type { SseMessage, WireFacts } from '../codec';
import { openaiWire } from '../openai/wire-facts';
import { streamErrorEventText } from './errors';
import { relayedUsage } from './relayed';
import { leftOutToolsOf } from './request-decode';

/** The events that end a Responses stream. */
const FINAL_TYPES = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);

function isFinalEvent(message: SseMessage): boolean {
  if (message.event !== undefined && FINAL_TYPES.has(message.event)) return true;
  if (!message.data.includes('"type"')) return false;
  try {
    return FINAL_TYPES.has(String((JSON.parse(message.data) as { type?: unknown }).type));
  } catch {
    return false;
  }
}

export const responsesWire: WireFacts = {
  title: 'OpenAI Responses',
  clientRoutes: [{ path: '/v1/responses', operation: 'chat' }],
  upstreamPath: (operation) => (operation === 'chat' ? '/responses' : undefined),
  baseUrlHint: 'Responses-format base URLs end in /v1 (e.g. https://api.openai.com/v1)',
  authHeaders: openaiWire.authHeaders,
  pingFrame: ': ping\n\n',
  isFinalEvent,
  // A fresh encoder would open a second response; the SDK refuses a changed identity.
  streamErrorEventText: (error) => streamErrorEventText(error),
  // Codex says it ran out of room on `context_length_exceeded` (the Responses encoder keeps the code).
  promptTooLong: openaiWire.promptTooLong,
  upstreamOverflowForClient: () => undefined,
  // Stored responses (the default) and follow-ups are kept by Patchbay, whichever backend serves them.
  keepsHistory: (body) => body.store !== false || (typeof body.previous_response_id === 'string' && body.previous_response_id !== ''),
  toolsLeftOut: leftOutToolsOf,
  // Responses streams always end with usage in `response.completed`.
  wantsStreamUsage: () => undefined,
  relayed: {
    usage: (value) => relayedUsage(value),
    idPlacement: 'lifecycle',
    isResponseBody: (value) => value.object === 'response',
  },
  probe: {
    // 16 is the smallest max_output_tokens OpenAI accepts.
    body: (model) => ({ model, max_output_tokens: 16, input: 'ping', store: false }),
    looksLikeAnswer: (value) => value.object === 'response' || Array.isArray(value.output),
  },
};
