/** Kimi K2's native tool-call syntax, as it leaks into plain text when a server's parser misses it. */
export const KIMI_SECTION_BEGIN = '<|tool_calls_section_begin|>';
export const KIMI_SECTION_END = '<|tool_calls_section_end|>';
export const KIMI_CALL_BEGIN = '<|tool_call_begin|>';
export const KIMI_ARGUMENT_BEGIN = '<|tool_call_argument_begin|>';
export const KIMI_CALL_END = '<|tool_call_end|>';

/** One call in Kimi's syntax; `index` is the call's number in the conversation (`functions.Write:0`). */
export function kimiTextToolCall(name: string, args: Record<string, unknown>, index: number): string {
  return (
    KIMI_SECTION_BEGIN +
    KIMI_CALL_BEGIN +
    `functions.${name}:${index}` +
    KIMI_ARGUMENT_BEGIN +
    JSON.stringify(args) +
    KIMI_CALL_END +
    KIMI_SECTION_END
  );
}
