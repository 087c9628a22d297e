/** The codec of each wire format. */
import type { WireCodec, WireFormat } from '../codecs/codec';
import { anthropicCodec } from '../codecs/anthropic';
import { openaiCodec } from '../codecs/openai';

export function codecFor(format: WireFormat): WireCodec {
  return format === 'anthropic' ? anthropicCodec : openaiCodec;
}
