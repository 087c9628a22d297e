/**
 * Anthropic Messages wire shapes: zod schemas for what clients send (validated on decode)
 * and plain types for what Patchbay writes or reads back from an Anthropic-format backend.
 * Unknown fields are tolerated everywhere (zod objects strip them).
 */
import { z } from 'zod';

export const cacheControlSchema = z.object({
  type: z.literal('ephemeral'),
  ttl: z.string().optional(),
});
const cacheControl = cacheControlSchema.nullish();

export const textBlockSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl,
});

const base64Source = z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() });
const urlSource = z.object({ type: z.literal('url'), url: z.string() });
const plainTextSource = z.object({ type: z.literal('text'), media_type: z.string().default('text/plain'), data: z.string() });

export const imageBlockSchema = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [base64Source, urlSource]),
  cache_control: cacheControl,
});

export const documentBlockSchema = z.object({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [base64Source, urlSource, plainTextSource]),
  title: z.string().nullish(),
  cache_control: cacheControl,
});

export const toolResultContentSchema = z.union([
  z.string(),
  z.array(z.discriminatedUnion('type', [textBlockSchema, imageBlockSchema, documentBlockSchema])),
]);

export const toolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: toolResultContentSchema.optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});

export const toolUseBlockSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
});

export const thinkingBlockSchema = z.object({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().optional(),
});

export const redactedThinkingBlockSchema = z.object({
  type: z.literal('redacted_thinking'),
  data: z.string(),
});

export const contentBlockSchema = z.discriminatedUnion('type', [
  textBlockSchema,
  imageBlockSchema,
  documentBlockSchema,
  toolUseBlockSchema,
  toolResultBlockSchema,
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
]);

export const messageSchema = z.object({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});

/** A tool entry: custom tools carry input_schema; server tools (`type` other than custom) anything. */
export const toolSchema = z.union([
  z.object({
    type: z.literal('custom').optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().optional(),
    cache_control: cacheControl,
  }),
  z.object({ type: z.string().refine((t) => t !== 'custom', 'custom tools need input_schema'), name: z.string().optional() }),
]);

const parallel = { disable_parallel_tool_use: z.boolean().optional() };
export const toolChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), ...parallel }),
  z.object({ type: z.literal('any'), ...parallel }),
  z.object({ type: z.literal('none'), ...parallel }),
  z.object({ type: z.literal('tool'), name: z.string().min(1), ...parallel }),
]);

export const thinkingSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('adaptive') }),
  z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().nonnegative().optional() }),
  z.object({ type: z.literal('disabled') }),
]);

export const messagesRequestSchema = z.object({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1, 'at least one message is required'),
  system: z.union([z.string(), z.array(textBlockSchema)]).optional(),
  max_tokens: z.number().int().positive().optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  stop_sequences: z.array(z.string()).optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingSchema.optional(),
  output_config: z.object({ effort: z.string().optional() }).nullish(),
  metadata: z.object({ user_id: z.string().nullish() }).nullish(),
});

export type WireCacheControl = z.infer<typeof cacheControlSchema>;
export type WireRequest = z.infer<typeof messagesRequestSchema>;
export type WireContentBlock = z.infer<typeof contentBlockSchema>;
export type WireTextBlock = z.infer<typeof textBlockSchema>;

export type WireStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal';

export type WireUsage = {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
};

/** A content block as it appears in an assistant message (response or stream start). */
export type WireOutputBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export type WireMessage = {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: WireOutputBlock[];
  stop_reason: WireStopReason | null;
  stop_sequence: string | null;
  usage: WireUsage;
};

export type WireErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

export type WireErrorBody = {
  type: 'error';
  error: { type: WireErrorType; message: string };
};
