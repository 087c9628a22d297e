/**
 * Every wire format and its codec, in one exhaustive record: a format added to `WireFormat`
 * without a codec (translation and wire facts) does not compile.
 */
import type { WireCodec, WireFormat } from './codec';
import { anthropicCodec } from './anthropic';
import { openaiCodec } from './openai';
import { responsesCodec } from './responses';

const CODECS: Readonly<Record<WireFormat, WireCodec>> = {
  anthropic: anthropicCodec,
  openai: openaiCodec,
  responses: responsesCodec,
};

/** The formats Patchbay speaks, client and backend side alike. */
export const WIRE_FORMATS = Object.keys(CODECS) as [WireFormat, ...WireFormat[]];

export function codecFor(format: WireFormat): WireCodec {
  return CODECS[format];
}
