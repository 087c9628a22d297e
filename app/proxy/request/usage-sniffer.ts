/**
 * Token usage read off relayed (pass-through) responses, which do not go through the IR: where
 * usage sits is the format's own fact (its codec's `wire.relayed.usage`).
 */
import type { WireFormat } from '../../codecs/codec';
import { codecFor } from '../../codecs/registry';
import type { Usage } from '../../ir/conversation';
import { emptyUsage } from '../../ir/conversation';

type Json = Record<string, unknown>;

export class UsageSniffer {
  private usage: Usage = emptyUsage();
  private readonly read: (value: Json, streamed: boolean, known: Usage) => Usage | undefined;

  constructor(
    format: WireFormat,
    private readonly onUsage: (usage: Usage) => void,
  ) {
    this.read = codecFor(format).wire.relayed.usage;
  }

  /** One relayed SSE event's data. */
  event(data: string): void {
    if (!data.includes('usage')) return;
    this.parsed(parse(data), true);
  }

  /** A whole (non-streamed) response body. */
  body(text: string): void {
    this.parsed(parse(text), false);
  }

  private parsed(value: Json | undefined, streamed: boolean): void {
    const usage = value ? this.read(value, streamed, this.usage) : undefined;
    if (!usage) return;
    this.usage = usage;
    this.onUsage(usage);
  }
}

function parse(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}
