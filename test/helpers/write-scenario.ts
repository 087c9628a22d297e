/**
 * The "write a file with exact bytes" scenario used by the end-to-end tests: the brain first
 * answers with reasoning + a write-tool call, and once it sees the tool's result, a final text.
 * Requests without tools (title generation, summaries) get a short text.
 */
import type { Brain, RecordedRequest } from '../fakes/scenario';

/** Non-ASCII (2-, 3- and 4-byte UTF-8), quotes, a newline and a backslash. */
export const EXACT_BYTES = 'héllo "wörld" ✓ 😀\nback\\slash\tend\n';
export const FINAL_TEXT = 'FILE-WRITTEN-MARKER';

type Json = Record<string, unknown>;

/** Tool names the request declares (Anthropic `tools[].name` or OpenAI `tools[].function.name`). */
export function declaredTools(req: RecordedRequest): string[] {
  const tools = (req.body as Json | undefined)?.tools;
  if (!Array.isArray(tools)) return [];
  return tools.map((t: Json) => (typeof t.name === 'string' ? t.name : ((t.function as Json | undefined)?.name as string))).filter(Boolean);
}

/** The request carries a tool result (Anthropic tool_result block or OpenAI `tool` message). */
export function hasToolResult(req: RecordedRequest): boolean {
  const messages = (req.body as Json | undefined)?.messages;
  if (!Array.isArray(messages)) return false;
  return messages.some(
    (m: Json) => m.role === 'tool' || (Array.isArray(m.content) && m.content.some((b: Json) => b && b.type === 'tool_result')),
  );
}

export interface WriteScenario {
  /** Name of the write tool ('Write' for Claude Code, 'write' for OpenCode). */
  tool: string;
  /** Arguments for the call, e.g. {file_path, content} or {filePath, content}. */
  args: Record<string, unknown>;
  /** Emit reasoning before the call (NIM: reasoning_content; Moonshot: thinking). */
  reasoning?: boolean;
}

export function writeFileBrain(s: WriteScenario): Brain {
  return (req) => {
    if (!declaredTools(req).includes(s.tool)) return { steps: [{ type: 'text', text: 'Title' }] };
    if (hasToolResult(req)) return { steps: [{ type: 'text', text: FINAL_TEXT }] };
    return {
      steps: [
        ...(s.reasoning ? [{ type: 'reasoning' as const, text: 'The user wants the file written; I will call the write tool.' }] : []),
        { type: 'tool_call', name: s.tool, arguments: s.args },
      ],
    };
  };
}
