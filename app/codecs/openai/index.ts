/** The OpenAI Chat Completions codec (client side: OpenCode, Aider, Cline; backend side: NVIDIA NIM, Moonshot /v1). */
import type { WireCodec } from '../codec';
import { decodeError, encodeError } from './errors';
import { decodeRequest } from './request-decode';
import { encodeRequest } from './request-encode';
import { decodeResponse } from './response-decode';
import { encodeResponse } from './response-encode';
import { createStreamDecoder } from './stream-decode';
import { createStreamEncoder } from './stream-encode';
import { openaiWire } from './wire-facts';

export const openaiCodec: WireCodec = {
  format: 'openai',
  wire: openaiWire,
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  createStreamDecoder,
  createStreamEncoder,
  decodeError,
  encodeError,
};

/** Read from the raw client body: set TranslationContext.includeUsage from it. */
export { wantsStreamUsage } from './request-decode';
