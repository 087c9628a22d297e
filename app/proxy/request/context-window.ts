/**
 * Prompts too long for the backend. Anthropic clients (Claude Code) must see Anthropic's own
 * "prompt is too long: ..." wording to trigger compaction, whether the proxy's estimate caught
 * it before sending or the upstream refused it.
 */
import type { BackendConfig } from '../../config/schema';
import { apiError, type ApiError } from '../../ir/errors';
import { isContextOverflow, overflowNumbers, promptTooLongError } from '../../translate/context-overflow';
import type { ProxyRequest } from './proxy-request';

/** Whether the request's estimated prompt is over `backend`'s window (false when either is unknown). */
export function exceedsWindow(req: ProxyRequest, backend: BackendConfig): boolean {
  if (req.operation !== 'chat' || backend.contextWindow === undefined) return false;
  const estimate = req.promptEstimate();
  return estimate !== undefined && estimate > backend.contextWindow;
}

/** Thrown by a path when the upstream refused the prompt as too long and the backend names an `overflowTo`. */
export class ContextOverflowed extends Error {
  constructor(readonly refusal: ApiError) {
    super(refusal.message);
    this.name = 'ContextOverflowed';
  }
}

/**
 * An upstream refusal, if it says the prompt is too long: handed to the overflow backend (thrown as
 * ContextOverflowed, once per request), else the error the client must see (undefined: not an overflow).
 */
export function tooLongRefusal(refusal: ApiError, req: ProxyRequest): ApiError | undefined {
  if (!isContextOverflow(refusal)) return undefined;
  if (req.backend.overflowTo !== undefined && req.overflowedFrom === undefined) throw new ContextOverflowed(refusal);
  return contextOverflowForClient(refusal, req) ?? refusal;
}

/** The client-format "too long" error for a prompt over `backend`'s window. */
export function promptTooLongFor(req: ProxyRequest, backend: BackendConfig): ApiError {
  const limit = backend.contextWindow;
  const estimate = req.promptEstimate();
  if (req.clientFormat === 'anthropic') return promptTooLongError(estimate, limit);
  return apiError(
    'invalid_request',
    `This model's maximum context length is ${limit} tokens. However, your messages resulted in about ${estimate} tokens. Please reduce the length of the messages.`,
    { code: 'context_length_exceeded', param: 'messages' },
  );
}

/** For an Anthropic client, an upstream context-overflow error becomes "prompt is too long". */
export function contextOverflowForClient(upstream: ApiError, req: ProxyRequest): ApiError | undefined {
  if (req.clientFormat !== 'anthropic' || !isContextOverflow(upstream)) return undefined;
  const stated = overflowNumbers(upstream.message);
  const limit = stated.limit ?? req.backend.contextWindow;
  const estimate = req.promptEstimate();
  const actual = stated.actual ?? (estimate !== undefined && limit !== undefined && estimate > limit ? estimate : undefined);
  return promptTooLongError(actual, limit, upstream.message);
}
