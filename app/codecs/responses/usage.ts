/**
 * Usage between Responses (`input_tokens` includes cached tokens) and the IR (inputTokens
 * excludes cache reads, Anthropic's meaning). Codex requires input/output/total on the wire.
 */
import type { Usage } from '../../ir/conversation';
import type { WireUsage, WireUsageOut } from './wire-types';

export function usageFromWire(usage: WireUsage | null | undefined): Usage {
  if (!usage) return { inputTokens: 0, outputTokens: 0 };
  const cachedField = usage.input_tokens_details?.cached_tokens;
  const cached = cachedField ?? 0;
  const out: Usage = { inputTokens: Math.max(0, (usage.input_tokens ?? 0) - cached), outputTokens: usage.output_tokens ?? 0 };
  if (cachedField !== null && cachedField !== undefined) out.cacheReadTokens = cached;
  return out;
}

export function usageToWire(usage: Usage): WireUsageOut {
  const cached = usage.cacheReadTokens ?? 0;
  const input = usage.inputTokens + cached + (usage.cacheCreationTokens ?? 0);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + usage.outputTokens,
  };
}
