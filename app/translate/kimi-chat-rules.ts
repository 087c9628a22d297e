/**
 * What Kimi (K2.5/K2.6, thinking on by default) refuses in an OpenAI-format request, and the
 * smallest edit that makes the request acceptable. Applied to every request for a Kimi
 * backend, translated or passed through, so histories made elsewhere (another backend before a
 * switch, or a client that dropped old reasoning) are accepted.
 *
 * - Every assistant message with `tool_calls` must carry `reasoning_content`, or Kimi answers
 *   400 "thinking is enabled but reasoning_content is missing in assistant tool call message at
 *   index N". Claude Code drops the thinking of earlier turns, and other backends never had any:
 *   such turns get a one-space placeholder (empty strings are treated as missing by some
 *   servers). Real reasoning, when present, is kept as is.
 * - With thinking on, `tool_choice` "required" or a named function is refused: it becomes "auto".
 */
type Json = Record<string, unknown>;

export const KIMI_REASONING_PLACEHOLDER = ' ';

export function applyKimiChatRules(body: Json): Json {
  const messages = body.messages;
  let out = body;
  if (Array.isArray(messages)) {
    let changed = false;
    const fixed = messages.map((m: unknown) => {
      if (typeof m !== 'object' || m === null) return m;
      const msg = m as Json;
      const hasCalls = Array.isArray(msg.tool_calls) && msg.tool_calls.length > 0;
      const reasoning = msg.reasoning_content;
      if (msg.role !== 'assistant' || !hasCalls || (typeof reasoning === 'string' && reasoning.length > 0)) return m;
      changed = true;
      return { ...msg, reasoning_content: KIMI_REASONING_PLACEHOLDER };
    });
    if (changed) out = { ...out, messages: fixed };
  }
  const choice = out.tool_choice;
  if (choice === 'required' || (typeof choice === 'object' && choice !== null)) out = { ...out, tool_choice: 'auto' };
  return out;
}
