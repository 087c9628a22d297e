/** SSE bytes <-> messages for the conformance suite: eventsource-parser over a streaming UTF-8 decoder, as the proxy reads upstreams. */
import { createParser } from 'eventsource-parser';
import type { SseMessage, StreamDecoder } from '../../../../app/codecs/codec';
import type { StreamEvent } from '../../../../app/ir/stream';

export function parseSse(chunks: Uint8Array[]): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = createParser({ onEvent: (e) => out.push({ ...(e.event !== undefined ? { event: e.event } : {}), data: e.data }) });
  const utf8 = new TextDecoder();
  for (const chunk of chunks) parser.feed(utf8.decode(chunk, { stream: true }));
  parser.feed(utf8.decode());
  return out;
}

/** Decode SSE bytes (in the given pieces) to IR events, end() included. */
export function decodeBytes(decoder: StreamDecoder, chunks: Uint8Array[]): StreamEvent[] {
  const events = parseSse(chunks).flatMap((m) => decoder.push(m));
  return [...events, ...decoder.end()];
}

/** The two pieces of `bytes` cut at `at`. */
export function cutAt(bytes: Uint8Array, at: number): Uint8Array[] {
  return [bytes.subarray(0, at), bytes.subarray(at)];
}
