/** Backend side: an Anthropic non-streaming `message` JSON -> IR ChatResponse. */
import { z } from 'zod';
import { emptyUsage } from '../../ir/conversation';
import type { ChatResponse, OutputBlock } from '../../ir/conversation';
import { ApiErrorException, apiError } from '../../ir/errors';
import { fromAnthropicToolId } from '../../translate/tool-ids';
import type { TranslationContext } from '../codec';
import { formatIssues } from './issue-format';
import { decodeStopReason } from './stop-reason';
import { mergeWireUsage } from './usage';

const responseSchema = z.object({
  id: z.string().default(''),
  model: z.string().default(''),
  content: z.array(z.looseObject({ type: z.string() })),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: z.unknown().optional(),
});

const outputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().nullish() }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
  z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) }),
]);
const OUTPUT_TYPES = new Set(['text', 'thinking', 'redacted_thinking', 'tool_use']);

function malformed(detail: string): ApiErrorException {
  return new ApiErrorException(apiError('api_error', `upstream returned a malformed Anthropic response: ${detail}`));
}

/** One upstream output block as IR; block types the IR has no place for (server tool blocks) are skipped. */
export function decodeOutputBlock(raw: unknown, ctx: TranslationContext): OutputBlock | undefined {
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !OUTPUT_TYPES.has(type)) return undefined;
  const parsed = outputSchema.safeParse(raw);
  if (!parsed.success) throw malformed(formatIssues(parsed.error.issues));
  const b = parsed.data;
  switch (b.type) {
    case 'text':
      return { type: 'text', text: b.text };
    case 'thinking':
      return { type: 'thinking', thinking: b.thinking, ...(b.signature ? { signature: b.signature } : {}) };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: b.data };
    case 'tool_use':
      return { type: 'tool_use', id: fromAnthropicToolId(b.id), name: ctx.toolNames.original(b.name), input: b.input };
  }
}

export function decodeResponse(body: unknown, ctx: TranslationContext): ChatResponse {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) throw malformed(formatIssues(parsed.error.issues));
  const r = parsed.data;
  const content = r.content.flatMap((raw) => decodeOutputBlock(raw, ctx) ?? []);
  return {
    id: r.id,
    model: r.model,
    content,
    stopReason: decodeStopReason(r.stop_reason),
    ...(r.stop_sequence ? { stopSequence: r.stop_sequence } : {}),
    usage: mergeWireUsage(emptyUsage(), r.usage),
  };
}
