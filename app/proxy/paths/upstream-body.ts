/** Reading an upstream body as text, whole or chunk by chunk. */
import type { UpstreamResponse } from '../upstream/upstream-client';

export async function* textChunks(response: UpstreamResponse): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of response.body) {
    const text = decoder.decode(chunk as Uint8Array, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

export async function readText(response: UpstreamResponse): Promise<string> {
  let text = '';
  for await (const chunk of textChunks(response)) text += chunk;
  return text;
}
