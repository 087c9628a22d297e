/**
 * Prompts too long for the backend. Anthropic clients (Claude Code) must see Anthropic's own
 * "prompt is too long: ..." wording to trigger compaction, whether the proxy's estimate caught
 * it before sending or the upstream refused it.
 */
import type { WireFormat } from '../../codecs/codec';
import type { BackendConfig } from '../../config/schema';
import type { ChatRequest } from '../../ir/conversation';
import { ApiErrorException, apiError, type ApiError } from '../../ir/errors';
import { isContextOverflow, overflowNumbers, promptTooLongError } from '../../translate/context-overflow';
import { estimateRequestTokens } from '../../translate/token-estimate';

/** Throws the client-format "too long" error when the estimate exceeds the backend's window. */
export function checkContextWindow(request: ChatRequest, backend: BackendConfig, clientFormat: WireFormat): void {
  const limit = backend.contextWindow;
  if (limit === undefined) return;
  const estimate = estimateRequestTokens(request);
  if (estimate <= limit) return;
  if (clientFormat === 'anthropic') throw new ApiErrorException(promptTooLongError(estimate, limit));
  throw new ApiErrorException(
    apiError(
      'invalid_request',
      `This model's maximum context length is ${limit} tokens. However, your messages resulted in about ${estimate} tokens. Please reduce the length of the messages.`,
      { code: 'context_length_exceeded', param: 'messages' },
    ),
  );
}

/** For an Anthropic client, an upstream context-overflow error becomes "prompt is too long". */
export function contextOverflowForClient(
  upstream: ApiError,
  clientFormat: WireFormat,
  backend: BackendConfig,
  estimate: number | undefined,
): ApiError | undefined {
  if (clientFormat !== 'anthropic' || !isContextOverflow(upstream)) return undefined;
  const stated = overflowNumbers(upstream.message);
  const limit = stated.limit ?? backend.contextWindow;
  const actual = stated.actual ?? (estimate !== undefined && limit !== undefined && estimate > limit ? estimate : undefined);
  return promptTooLongError(actual, limit, upstream.message);
}
