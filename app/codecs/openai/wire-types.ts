/**
 * OpenAI Chat Completions wire shapes, as Patchbay writes them and as backends send them.
 * Backend bodies are read through the lenient zod schemas below (unknown fields tolerated).
 */
import { z } from 'zod';

export interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type WireContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } };

export type WireMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | WireContentPart[] }
  | { role: 'assistant'; content: string | null; reasoning_content?: string; tool_calls?: WireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface WireTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown>; strict?: boolean };
}

export type WireToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export const wireUsageSchema = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  total_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  /** Moonshot reports cache hits at the top level of usage. */
  cached_tokens: z.number().nullish(),
});
export type WireUsage = z.infer<typeof wireUsageSchema>;

const wireResponseToolCallSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }),
});

const wireTextPartSchema = z.looseObject({ type: z.string(), text: z.string().nullish() });

export const wireCompletionSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number().nullish(),
      message: z.looseObject({
        content: z.union([z.string(), z.array(wireTextPartSchema)]).nullish(),
        reasoning_content: z.string().nullish(),
        tool_calls: z.array(wireResponseToolCallSchema).nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: wireUsageSchema.nullish(),
});
export type WireCompletion = z.infer<typeof wireCompletionSchema>;

export const wireChunkToolCallSchema = z.looseObject({
  index: z.number().nullish(),
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

export const wireChunkSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        index: z.number().nullish(),
        delta: z
          .looseObject({
            content: z.string().nullish(),
            reasoning_content: z.string().nullish(),
            tool_calls: z.array(wireChunkToolCallSchema).nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
        usage: wireUsageSchema.nullish(),
      }),
    )
    .nullish(),
  usage: wireUsageSchema.nullish(),
  error: z.unknown().optional(),
});
export type WireChunk = z.infer<typeof wireChunkSchema>;
