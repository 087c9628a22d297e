/** OpenAI Chat Completions on the wire: routes, paths, auth, stream ends, pings, overflow wording (see WireFacts). */
import type { SseMessage, WireFacts } from '../codec';
import { apiError } from '../../ir/errors';
import { ToolNameMap } from '../../translate/tool-names';
import { encodeError } from './errors';
import { createStreamEncoder } from './stream-encode';
import { usageFromWire } from './usage';
import { wireUsageSchema } from './wire-types';

function isFinalEvent(message: SseMessage): boolean {
  if (message.event === 'error') return true;
  const data = message.data.trim();
  if (data === '[DONE]') return true;
  if (!data.includes('"error"')) return false;
  try {
    return (JSON.parse(data) as { error?: unknown }).error !== undefined;
  } catch {
    return false;
  }
}

export const openaiWire: WireFacts = {
  title: 'OpenAI Chat Completions',
  clientRoutes: [{ path: '/v1/chat/completions', operation: 'chat' }],
  upstreamPath: (operation) => (operation === 'chat' ? '/chat/completions' : undefined),
  baseUrlHint: 'OpenAI-format base URLs end in /v1 (e.g. https://integrate.api.nvidia.com/v1)',
  authHeaders: (key): Record<string, string> => (key !== undefined ? { authorization: `Bearer ${key}` } : {}),
  // OpenAI streams have no ping event: clients ignore an SSE comment.
  pingFrame: ': ping\n\n',
  isFinalEvent,
  streamErrorEventText(error, requestedModel) {
    const text = createStreamEncoder({ toolNames: new ToolNameMap([]), requestedModel }).encode({ type: 'error', error });
    return text || `data: ${JSON.stringify(encodeError(error).body)}\n\n`;
  },
  promptTooLong: (estimate, limit) =>
    apiError(
      'invalid_request',
      `This model's maximum context length is ${limit} tokens. However, your messages resulted in about ${estimate} tokens. Please reduce the length of the messages.`,
      { code: 'context_length_exceeded', param: 'messages' },
    ),
  upstreamOverflowForClient: () => undefined,
  keepsHistory: () => false,
  toolsLeftOut: () => [],
  wantsStreamUsage(body) {
    const options = body.stream_options;
    return typeof options === 'object' && options !== null && (options as { include_usage?: unknown }).include_usage === true;
  },
  relayed: {
    usage(value) {
      const wire = wireUsageSchema.safeParse(value.usage);
      return wire.success && wire.data ? usageFromWire(wire.data) : undefined;
    },
    idPlacement: 'every-chunk',
    isResponseBody: (value) => Array.isArray(value.choices) || value.object === 'chat.completion',
  },
  probe: {
    body: (model) => ({ model, max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] }),
    looksLikeAnswer: (value) => Array.isArray(value.choices),
  },
};
