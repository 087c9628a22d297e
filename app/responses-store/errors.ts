/**
 * The 400s of `previous_response_id`, in OpenAI's own wording (what the `openai` SDK and other
 * Responses clients already handle): an unknown or expired id, and no store configured at all.
 */
import { ApiErrorException, apiError } from '../ir/errors';
import type { ChatRequest } from '../ir/conversation';

export const PREVIOUS_RESPONSE_NOT_FOUND = 'previous_response_not_found';

/** OpenAI: 400 `invalid_request_error`, param `previous_response_id`, code `previous_response_not_found`. */
export function previousResponseNotFound(id: string): ApiErrorException {
  return new ApiErrorException(
    apiError('invalid_request', `Previous response with id '${id}' not found.`, { param: 'previous_response_id', code: PREVIOUS_RESPONSE_NOT_FOUND }),
  );
}

/** For a path with no store: a request naming an earlier response is refused (throws), others pass. */
export function refusePreviousResponseWithoutStore(request: ChatRequest): void {
  if (request.responsesState?.previousResponseId === undefined) return;
  throw new ApiErrorException(
    apiError('invalid_request', 'previous_response_id is not supported here: send the whole conversation in input (as Codex does with store: false)', {
      param: 'previous_response_id',
    }),
  );
}
