/**
 * Tool names longer than a format allows (OpenAI: 64 characters, `^[a-zA-Z0-9_-]+$`)
 * are shortened deterministically on the way out and restored on the way back.
 * The map is built per request from the request's own tool list, so no state is kept
 * between requests.
 */
import { createHash } from 'node:crypto';
import type { ToolDefinition } from '../ir/conversation';

export const OPENAI_TOOL_NAME_LIMIT = 64;

export function shortenToolName(name: string, limit = OPENAI_TOOL_NAME_LIMIT): string {
  const legal = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (legal === name && name.length <= limit) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return legal.slice(0, limit - hash.length - 1) + '_' + hash;
}

export class ToolNameMap {
  private readonly toWire = new Map<string, string>();
  private readonly fromWire = new Map<string, string>();

  constructor(names: Iterable<string>, limit = OPENAI_TOOL_NAME_LIMIT) {
    for (const name of names) {
      const wire = shortenToolName(name, limit);
      this.toWire.set(name, wire);
      this.fromWire.set(wire, name);
    }
  }

  static fromTools(tools: ToolDefinition[], limit = OPENAI_TOOL_NAME_LIMIT): ToolNameMap {
    return new ToolNameMap(
      tools.map((t) => t.name),
      limit,
    );
  }

  /** Name to put on the wire (shortened when needed, even for tools not declared). */
  wire(name: string): string {
    return this.toWire.get(name) ?? shortenToolName(name);
  }

  /** Original name for a name that came back from the wire. */
  original(wireName: string): string {
    return this.fromWire.get(wireName) ?? wireName;
  }
}
