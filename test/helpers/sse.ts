/** Reads a fetch Response body as Server-Sent Events with eventsource-parser. */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseRead {
  events: EventSourceMessage[];
  /** True when the body ended normally; false when the connection broke mid-stream. */
  complete: boolean;
  error?: unknown;
}

export async function readSse(res: Response): Promise<SseRead> {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e) });
  if (!res.body) return { events, complete: true };
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    parser.feed(decoder.decode());
    return { events, complete: true };
  } catch (error) {
    return { events, complete: false, error };
  }
}

/** JSON payloads of the events (skipping `[DONE]`). */
export function sseJson(read: SseRead): Array<Record<string, unknown>> {
  return read.events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as Record<string, unknown>);
}
