/**
 * OpenAI streams report token usage only when the request asks for it
 * (`stream_options.include_usage`), in one extra chunk with `choices: []`. Patchbay always asks,
 * so the request log and live numbers have the tokens; for a client that did not ask, that
 * extra chunk is removed again before the client sees it (it may not expect a chunk without
 * choices).
 */
import type { WireFormat } from '../../codecs/codec';

const USAGE_ONLY = /"choices"\s*:\s*\[\s*\]/;
const EVENT_END = /\r\n\r\n|\n\n|\r\r/;

function isUsageOnlyChunk(event: string): boolean {
  if (!USAGE_ONLY.test(event)) return false;
  const data = event
    .split(/\r\n|\n|\r/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n');
  try {
    const chunk = JSON.parse(data) as { choices?: unknown; usage?: unknown };
    return Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage !== undefined && chunk.usage !== null;
  } catch {
    return false;
  }
}

/**
 * `events` holds whole SSE events (as cut by SseEventSplitter). Returns them without
 * usage-only chunks; the text is returned unchanged when there is none.
 */
export function withoutUsageChunks(events: string): string {
  if (!USAGE_ONLY.test(events)) return events;
  let out = '';
  let rest = events;
  let dropped = false;
  for (let m = EVENT_END.exec(rest); m; m = EVENT_END.exec(rest)) {
    const end = m.index + m[0].length;
    const event = rest.slice(0, end);
    if (isUsageOnlyChunk(event)) dropped = true;
    else out += event;
    rest = rest.slice(end);
  }
  out += rest;
  return dropped ? out : events;
}

/**
 * Per format: make a relayed streaming request ask for usage, and whether the usage the client
 * did not ask for must be taken out of the stream again (only OpenAI Chat streams need asking).
 */
export const STREAM_USAGE: Readonly<Record<WireFormat, (body: Record<string, unknown>) => { body: Record<string, unknown>; hideUsage: boolean }>> = {
  anthropic: (body) => ({ body, hideUsage: false }),
  openai: (body) => {
    const asked = askForUsage(body);
    return { body: asked.body, hideUsage: !asked.clientAsked };
  },
  responses: (body) => ({ body, hideUsage: false }),
};

/** Makes an OpenAI streaming request ask for usage; says whether the client had asked itself. */
export function askForUsage(body: Record<string, unknown>): { body: Record<string, unknown>; clientAsked: boolean } {
  const options = body.stream_options;
  const clientAsked = typeof options === 'object' && options !== null && (options as { include_usage?: unknown }).include_usage === true;
  if (clientAsked || body.stream !== true) return { body, clientAsked };
  return { body: { ...body, stream_options: { ...(typeof options === 'object' && options !== null ? options : {}), include_usage: true } }, clientAsked };
}
