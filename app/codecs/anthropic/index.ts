/** The Anthropic Messages codec (see app/codecs/codec.ts for the contract). */
import type { WireCodec } from '../codec';
import { decodeError, encodeError } from './errors';
import { decodeRequest } from './request-decode';
import { encodeRequest } from './request-encode';
import { decodeResponse } from './response-decode';
import { encodeResponse } from './response-encode';
import { createStreamDecoder } from './stream-decode';
import { createStreamEncoder } from './stream-encode';
import { anthropicWire } from './wire-facts';

export const anthropicCodec: WireCodec = {
  format: 'anthropic',
  wire: anthropicWire,
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  createStreamDecoder,
  createStreamEncoder,
  decodeError,
  encodeError,
};
