/**
 * Prompts too long for the backend, in the words each client format expects (its codec's
 * `promptTooLong`): Claude Code compacts on Anthropic's "prompt is too long: ...", Codex says it
 * ran out of room on `context_length_exceeded`; whether the proxy's estimate caught it before
 * sending or the upstream refused it. A backend with `overflowTo` hands such a prompt over once.
 */
import { codecFor } from '../../codecs/registry';
import type { BackendConfig } from '../../config/schema';
import type { ApiError } from '../../ir/errors';
import { isContextOverflow } from '../../translate/context-overflow';
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
  return codecFor(req.clientFormat).wire.promptTooLong(req.promptEstimate(), backend.contextWindow);
}

/** An upstream context-overflow refusal in the words the client's format expects (undefined: relay it as it is). */
export function contextOverflowForClient(upstream: ApiError, req: ProxyRequest): ApiError | undefined {
  return codecFor(req.clientFormat).wire.upstreamOverflowForClient(upstream, req.promptEstimate(), req.backend.contextWindow);
}
