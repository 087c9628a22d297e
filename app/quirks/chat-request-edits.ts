/**
 * The quirk edits an OpenAI-format (Chat Completions) request body gets, whether translated or
 * passed through, so histories made elsewhere (another backend before a switch, or a client
 * that dropped old reasoning) are accepted. Seen with Kimi (K2.5/K2.6, thinking on by default):
 *
 * - `echoReasoning`: every assistant message with `tool_calls` must carry `reasoning_content`,
 *   or Kimi answers 400 "thinking is enabled but reasoning_content is missing in assistant tool
 *   call message at index N". Claude Code drops the thinking of earlier turns, and other
 *   backends never had any: such turns get a one-space placeholder (empty strings are treated
 *   as missing by some servers). Real reasoning, when present, is kept as is.
 * - `noForcedToolChoice`: with thinking on, `tool_choice` "required" or a named function is
 *   refused: it becomes "auto".
 */
import type { QuirkProfile } from './profile';

type Json = Record<string, unknown>;

export const REASONING_PLACEHOLDER = ' ';

export type ChatRequestQuirks = Partial<Pick<QuirkProfile, 'echoReasoning' | 'noForcedToolChoice'>>;

/** The body with the quirks' edits; the input is not mutated (returned as is when nothing applies). */
export function applyChatRequestQuirks(body: Json, quirks: ChatRequestQuirks): Json {
  let out = body;
  if (quirks.echoReasoning) out = withReasoningOnToolCallTurns(out);
  if (quirks.noForcedToolChoice) {
    const choice = out.tool_choice;
    if (choice === 'required' || (typeof choice === 'object' && choice !== null)) out = { ...out, tool_choice: 'auto' };
  }
  return out;
}

function withReasoningOnToolCallTurns(body: Json): Json {
  const messages = body.messages;
  if (!Array.isArray(messages)) return body;
  let changed = false;
  const fixed = messages.map((m: unknown) => {
    if (typeof m !== 'object' || m === null) return m;
    const msg = m as Json;
    const hasCalls = Array.isArray(msg.tool_calls) && msg.tool_calls.length > 0;
    const reasoning = msg.reasoning_content;
    if (msg.role !== 'assistant' || !hasCalls || (typeof reasoning === 'string' && reasoning.length > 0)) return m;
    changed = true;
    return { ...msg, reasoning_content: REASONING_PLACEHOLDER };
  });
  return changed ? { ...body, messages: fixed } : body;
}
