/**
 * Token usage read off relayed (pass-through) responses, which do not go through the IR:
 * Anthropic `message_start.message.usage` and `message_delta.usage` (cumulative), OpenAI's
 * usage chunk (`stream_options.include_usage`) or a whole response's `usage`.
 */
import { mergeWireUsage } from '../../codecs/anthropic/usage';
import type { WireFormat } from '../../codecs/codec';
import { usageFromWire } from '../../codecs/openai/usage';
import { wireUsageSchema } from '../../codecs/openai/wire-types';
import type { Usage } from '../../ir/conversation';
import { emptyUsage } from '../../ir/conversation';

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export class UsageSniffer {
  private usage: Usage = emptyUsage();

  constructor(
    private readonly format: WireFormat,
    private readonly onUsage: (usage: Usage) => void,
  ) {}

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
    if (!value) return;
    if (this.format === 'openai') {
      const wire = wireUsageSchema.safeParse(value.usage);
      if (wire.success) this.report(usageFromWire(wire.data));
      return;
    }
    const wire = streamed && value.type === 'message_start' ? asObject(value.message)?.usage : value.usage;
    if (asObject(wire)) this.report(mergeWireUsage(this.usage, wire));
  }

  private report(usage: Usage): void {
    this.usage = usage;
    this.onUsage(usage);
  }
}

function parse(text: string): Json | undefined {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}
