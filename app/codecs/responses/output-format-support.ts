/**
 * Which backend formats can enforce a JSON-schema output (IR `outputFormat`, from a Responses
 * client's `text.format`): Responses (`text.format`) and Chat Completions (`response_format`);
 * an Anthropic-format backend has no such field, and the request is refused with a clear 400
 * rather than answered in free text.
 */
import type { ChatRequest } from '../../ir/conversation';
import { apiError } from '../../ir/errors';
import type { ApiError } from '../../ir/errors';
import type { WireFormat } from '../codec';

const ENFORCES_OUTPUT_FORMAT: Record<WireFormat, boolean> = {
  responses: true,
  openai: true,
  anthropic: false,
};

/** The 400 to answer when `backendFormat` cannot honour the request's output format; else undefined. */
export function outputFormatRefusal(request: ChatRequest, backendFormat: WireFormat): ApiError | undefined {
  if (!request.outputFormat || ENFORCES_OUTPUT_FORMAT[backendFormat]) return undefined;
  return apiError(
    'invalid_request',
    `text.format json_schema ("${request.outputFormat.name}") cannot be enforced by this backend (${backendFormat} format): leave text.format out or use a Responses backend`,
    { param: 'text.format' },
  );
}
