/**
 * Which wire format a client speaks, from the route it called: errors and pings are
 * written in that format.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WireFormat } from '../codecs/codec';

export function clientFormatOf(url: string, headers: IncomingHttpHeaders): WireFormat {
  const path = url.split('?', 1)[0] ?? '';
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  if (path === '/v1/chat/completions') return 'openai';
  return headers['anthropic-version'] !== undefined ? 'anthropic' : 'openai';
}
