/** Keep-alive frames in each client format, sent while the upstream is silent. */
import type { WireFormat } from '../../codecs/codec';

export function pingFrame(format: WireFormat): string {
  // Anthropic streams have a `ping` event; OpenAI streams have none, an SSE comment is ignored by clients.
  return format === 'anthropic' ? 'event: ping\ndata: {"type": "ping"}\n\n' : ': ping\n\n';
}

export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};
