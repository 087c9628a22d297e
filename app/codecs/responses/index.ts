/** The OpenAI Responses codec (client side: Codex CLI, the `openai` SDK; backend side: OpenAI's Responses API). */
import type { WireCodec } from '../codec';
import { decodeError, encodeError } from './errors';
import { decodeRequest } from './request-decode';
import { encodeRequest } from './request-encode';
import { decodeResponse } from './response-decode';
import { encodeResponse } from './response-encode';
import { createStreamDecoder } from './stream-decode';
import { createStreamEncoder } from './stream-encode';
import { responsesWire } from './wire-facts';

export const responsesCodec: WireCodec = {
  format: 'responses',
  wire: responsesWire,
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  createStreamDecoder,
  createStreamEncoder,
  decodeError,
  encodeError,
};

/** Read from the raw client body: hosted tools (web_search, …) left out, for the request log. */
export { leftOutToolsOf } from './request-decode';
/** Backends that cannot enforce `text.format` json_schema: refuse with this 400 (see the file). */
export { outputFormatRefusal } from './output-format-support';
/** The error event to end an already committed Responses stream with (not a fresh encoder's). */
export { streamErrorEventText } from './errors';
/** Pass-through helpers: usage and response id of a relayed Responses event or body. */
export { relayedUsage, replaceRelayedResponseId } from './relayed';
/** A fresh `resp_` id (what a Responses client's response is called). */
export { newResponsesId } from './ids';
