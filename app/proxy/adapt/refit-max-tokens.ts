/**
 * An upstream that refuses a request because prompt + max_tokens exceed its context window
 * (NIM's hosted Kimi has a smaller window than Claude Code's 32-64K max_tokens assume) gets the
 * same request once more with max_tokens lowered to what fits, instead of the client being told
 * its prompt is too long (which would make Claude Code compact a conversation that fits).
 */
import type { ApiError } from '../../ir/errors';
import { completionOverflow, fittingMaxTokens, isContextOverflow } from '../../translate/context-overflow';

type Json = Record<string, unknown>;

const MAX_TOKEN_FIELDS = ['max_tokens', 'max_completion_tokens'] as const;

/** The request with a smaller max_tokens, or undefined when that would not help. */
export function refitMaxTokens(body: Json, error: ApiError): Json | undefined {
  if (!isContextOverflow(error)) return undefined;
  const overflow = completionOverflow(error.message);
  if (!overflow) return undefined;
  const fitting = fittingMaxTokens(overflow);
  if (fitting === undefined) return undefined;
  const out: Json = { ...body };
  let changed = false;
  for (const field of MAX_TOKEN_FIELDS) {
    const value = out[field];
    if (typeof value === 'number' && value > fitting) {
      out[field] = fitting;
      changed = true;
    }
  }
  if (!changed) {
    // The client asked for no limit: the server's default did not fit. Ask for what fits.
    if (MAX_TOKEN_FIELDS.some((f) => typeof out[f] === 'number')) return undefined;
    out.max_tokens = fitting;
  }
  return out;
}
