/**
 * Usage between OpenAI (prompt_tokens includes cached tokens) and the IR
 * (inputTokens excludes cache reads, Anthropic's meaning).
 */
import type { Usage } from '../../ir/conversation';
import type { WireUsage } from './wire-types';

export function usageFromWire(usage: WireUsage | null | undefined): Usage {
  if (!usage) return { inputTokens: 0, outputTokens: 0 };
  const prompt = usage.prompt_tokens ?? 0;
  const cachedField = usage.prompt_tokens_details?.cached_tokens ?? usage.cached_tokens;
  const cached = cachedField ?? 0;
  const out: Usage = { inputTokens: Math.max(0, prompt - cached), outputTokens: usage.completion_tokens ?? 0 };
  if (cachedField !== null && cachedField !== undefined) out.cacheReadTokens = cached;
  return out;
}

export interface WireUsageOut {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

export function usageToWire(usage: Usage): WireUsageOut {
  const cached = usage.cacheReadTokens ?? 0;
  const prompt = usage.inputTokens + cached + (usage.cacheCreationTokens ?? 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: cached },
  };
}
