/**
 * `previous_response_id` for Responses clients: a bounded store of recent answers
 * (ResponsesStore: remember / recall / expand), the collector that rebuilds a streamed answer,
 * and the 400s. Pure: the request path calls these (see the module's wiring note in the report).
 */
export { ResponsesStore, DEFAULT_RESPONSES_STORE_LIMITS } from './responses-store';
export type { ResponsesStoreLimits } from './responses-store';
export type { ConversationHistory } from './conversation-history';
export { StreamCollector } from './stream-collector';
export { previousResponseNotFound, refusePreviousResponseWithoutStore, PREVIOUS_RESPONSE_NOT_FOUND } from './errors';
