/** Anthropic Messages on the wire: routes, paths, auth, stream ends, pings, "prompt is too long" (see WireFacts). */
import type { SseMessage, WireFacts } from '../codec';
import { isContextOverflow, overflowNumbers, promptTooLongError } from '../../translate/context-overflow';
import { ToolNameMap } from '../../translate/tool-names';
import { encodeError } from './errors';
import { createStreamEncoder } from './stream-encode';
import { mergeWireUsage } from './usage';

type Json = Record<string, unknown>;

const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function isFinalEvent(message: SseMessage): boolean {
  if (message.event === 'message_stop' || message.event === 'error') return true;
  if (!message.data.includes('"type"')) return false;
  try {
    const type = (JSON.parse(message.data) as { type?: unknown }).type;
    return type === 'message_stop' || type === 'error';
  } catch {
    return false;
  }
}

export const anthropicWire: WireFacts = {
  title: 'Anthropic Messages',
  clientRoutes: [
    { path: '/v1/messages', operation: 'chat' },
    { path: '/v1/messages/count_tokens', operation: 'count_tokens' },
  ],
  upstreamPath: (operation) => (operation === 'count_tokens' ? '/v1/messages/count_tokens' : '/v1/messages'),
  baseUrlHint: 'Anthropic-format base URLs have no /v1 (e.g. https://api.moonshot.ai/anthropic)',
  authHeaders(key, clientHeaders) {
    const headers: Record<string, string> = {};
    const version = clientHeaders['anthropic-version'];
    headers['anthropic-version'] = typeof version === 'string' && version ? version : DEFAULT_ANTHROPIC_VERSION;
    const beta = clientHeaders['anthropic-beta'];
    const betaValue = Array.isArray(beta) ? beta.join(',') : beta;
    if (betaValue) headers['anthropic-beta'] = betaValue;
    if (key !== undefined) {
      headers['x-api-key'] = key;
      headers.authorization = `Bearer ${key}`;
    }
    return headers;
  },
  // Anthropic streams have a `ping` event of their own.
  pingFrame: 'event: ping\ndata: {"type": "ping"}\n\n',
  isFinalEvent,
  streamErrorEventText(error, requestedModel) {
    const text = createStreamEncoder({ toolNames: new ToolNameMap([]), requestedModel }).encode({ type: 'error', error });
    return text || `event: error\ndata: ${JSON.stringify(encodeError(error).body)}\n\n`;
  },
  // Claude Code compacts the conversation when it reads Anthropic's own wording.
  promptTooLong: (estimate, limit) => promptTooLongError(estimate, limit),
  upstreamOverflowForClient(upstream, estimate, limit) {
    if (!isContextOverflow(upstream)) return undefined;
    const stated = overflowNumbers(upstream.message);
    const max = stated.limit ?? limit;
    const actual = stated.actual ?? (estimate !== undefined && max !== undefined && estimate > max ? estimate : undefined);
    return promptTooLongError(actual, max, upstream.message);
  },
  keepsHistory: () => false,
  toolsLeftOut: () => [],
  wantsStreamUsage: () => undefined,
  relayed: {
    usage(value, streamed, known) {
      const wire = streamed && value.type === 'message_start' ? asObject(value.message)?.usage : value.usage;
      return asObject(wire) ? mergeWireUsage(known, wire) : undefined;
    },
    idPlacement: 'first-event',
    isResponseBody: (value) => value.type === 'message',
  },
  probe: {
    body: (model) => ({ model, max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] }),
    looksLikeAnswer: (value) => value.type === 'message' || Array.isArray(value.content),
  },
};
