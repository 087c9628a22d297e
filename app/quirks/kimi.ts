/**
 * Kimi (Moonshot's K2 family: `kimi-k2.6` on Moonshot, `moonshotai/kimi-k2.6` on NIM,
 * `moonshotai/kimi-k2:free` on OpenRouter-style hosts, `Kimi-K2-Instruct` self-hosted).
 * - With thinking on it refuses an assistant tool-call turn without `reasoning_content` (400),
 *   and a forced tool_choice.
 * - It sometimes writes tool calls as text (`<|tool_calls_section_begin|>...`).
 * - K2.5 and later (and the `-thinking` models) fix temperature, top_p, n and penalties.
 */
import { createKimiToolCallTransform, splitKimiToolCallText } from './kimi-tool-call-text';
import type { QuirkFamily, TextToolCallSyntax } from './profile';

/** `kimi` as a whole word of the id: separators are `/ : . _ -` or the ends. */
const KIMI_ID = /(?:^|[/:._-])kimi(?:[/:._-]|$)/i;
const FIXED_SAMPLING_ID = /k2\.(?:[5-9]|\d{2,})(?!\d)|k2-thinking/i;

export const KIMI_TEXT_TOOL_CALLS: TextToolCallSyntax = {
  split: splitKimiToolCallText,
  createTransform: createKimiToolCallTransform,
};

export const KIMI: QuirkFamily = {
  name: 'kimi',
  matches: (model) => KIMI_ID.test(model),
  profile: (model) => ({
    name: 'kimi',
    fixedSampling: FIXED_SAMPLING_ID.test(model),
    echoReasoning: true,
    noForcedToolChoice: true,
    textToolCalls: KIMI_TEXT_TOOL_CALLS,
  }),
};
