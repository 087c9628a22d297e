/**
 * Context-window overflow: recognise the ways upstreams say "your prompt does not fit", and
 * answer with the error Claude Code reacts to by compacting the conversation
 * (`prompt is too long: N tokens > M maximum`).
 */
import { apiError } from '../ir/errors';
import type { ApiError } from '../ir/errors';

const OVERFLOW_PATTERNS: readonly RegExp[] = [
  /maximum context length/i, // OpenAI, vLLM, NIM: "This model's maximum context length is 262144 tokens..."
  /context[_ ]length[_ ]exceeded/i, // OpenAI code / wording
  /exceeded model token limit/i, // Moonshot: "Your request exceeded model token limit: 262144"
  /prompt is too long/i, // Anthropic
  /exceeds? (?:the )?(?:model'?s? )?context (?:window|limit|length)/i, // "input length and max_tokens exceed context limit"
  /context window (?:is )?(?:exceeded|full)/i,
];

export function isContextOverflow(error: ApiError): boolean {
  // "too many tokens per minute" and the like are rate limits, never overflow.
  if (error.kind === 'rate_limit') return false;
  if (error.code && /context_length_exceeded/i.test(error.code)) return true;
  return OVERFLOW_PATTERNS.some((p) => p.test(error.message));
}

/** Token counts an upstream overflow message states, when it states them. */
export function overflowNumbers(message: string): { actual?: number; limit?: number } {
  const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s.replace(/,/g, '')));
  const limit =
    num(/maximum context length is ([\d,]+)/i.exec(message)?.[1]) ??
    num(/token limit:? ([\d,]+)/i.exec(message)?.[1]) ??
    num(/> ([\d,]+) maximum/i.exec(message)?.[1]);
  const actual =
    num(/you requested ([\d,]+) tokens/i.exec(message)?.[1]) ??
    num(/request has ([\d,]+) (?:input )?tokens/i.exec(message)?.[1]) ??
    num(/too long: ([\d,]+) tokens/i.exec(message)?.[1]);
  return { ...(actual !== undefined ? { actual } : {}), ...(limit !== undefined ? { limit } : {}) };
}

/**
 * The invalid_request_error Claude Code compacts on. With both counts known the message starts
 * `prompt is too long: N tokens > M maximum`; the upstream's own wording follows when given.
 */
export function promptTooLongError(actualTokens: number | undefined, limit: number | undefined, upstreamMessage?: string): ApiError {
  const head =
    actualTokens !== undefined && limit !== undefined
      ? `prompt is too long: ${actualTokens} tokens > ${limit} maximum`
      : 'prompt is too long';
  const message = upstreamMessage ? `${head} (upstream: ${upstreamMessage})` : head;
  return apiError('invalid_request', message);
}

/**
 * vLLM/OpenAI say which part overflowed: "However, you requested 150000 tokens (86000 in the
 * messages, 64000 in the completion)". When the messages fit and only the requested completion
 * does not, the request can be sent again with a smaller max_tokens instead of compacting.
 */
export function completionOverflow(message: string): { promptTokens: number; completionTokens: number; limit: number } | undefined {
  const m = /\(([\d,]+) in the messages, ([\d,]+) in the completion\)/i.exec(message);
  const limit = overflowNumbers(message).limit;
  if (!m || limit === undefined) return undefined;
  const promptTokens = Number(m[1]!.replace(/,/g, ''));
  const completionTokens = Number(m[2]!.replace(/,/g, ''));
  return { promptTokens, completionTokens, limit };
}

/** Output room worth re-sending for; with less, compacting the conversation is the better cure. */
export const MIN_USEFUL_COMPLETION_TOKENS = 1024;

/** The largest max_tokens that fits beside the prompt, or undefined when too little room is left. */
export function fittingMaxTokens(overflow: { promptTokens: number; limit: number }): number | undefined {
  const room = overflow.limit - overflow.promptTokens - 16;
  return room >= MIN_USEFUL_COMPLETION_TOKENS ? room : undefined;
}
