/**
 * OpenAI Responses wire shapes: the items and tools a client (Codex, the `openai` SDK) sends,
 * the output items and usage Patchbay writes, and the lenient zod schemas that read a
 * Responses backend's bodies and stream events (unknown fields tolerated).
 */
import { z } from 'zod';

/** Output text part, as written in message items. */
export interface WireOutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs?: unknown[];
}

export interface WireSummaryText {
  type: 'summary_text';
  text: string;
}

export interface WireMessageItem {
  type: 'message';
  id: string;
  status: 'in_progress' | 'completed' | 'incomplete';
  role: 'assistant';
  content: WireOutputText[];
}

export interface WireReasoningItem {
  type: 'reasoning';
  id: string;
  summary: WireSummaryText[];
  encrypted_content?: string;
  status?: 'in_progress' | 'completed' | 'incomplete';
}

export interface WireFunctionCallItem {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  namespace?: string;
  arguments: string;
  status: 'in_progress' | 'completed' | 'incomplete';
}

export type WireOutputItem = WireMessageItem | WireReasoningItem | WireFunctionCallItem;

export interface WireUsageOut {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export const wireUsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  total_tokens: z.number().nullish(),
  input_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
});
export type WireUsage = z.infer<typeof wireUsageSchema>;

const textPartSchema = z.looseObject({ type: z.string(), text: z.string().nullish(), refusal: z.string().nullish() });

/** One output item of a backend's response (message, reasoning, function_call; others read loosely). */
export const wireOutputItemSchema = z.looseObject({
  type: z.string(),
  id: z.string().nullish(),
  status: z.string().nullish(),
  role: z.string().nullish(),
  content: z.array(textPartSchema).nullish(),
  summary: z.array(textPartSchema).nullish(),
  encrypted_content: z.string().nullish(),
  call_id: z.string().nullish(),
  name: z.string().nullish(),
  namespace: z.string().nullish(),
  arguments: z.string().nullish(),
});
export type WireOutputItemIn = z.infer<typeof wireOutputItemSchema>;

export const wireErrorObjectSchema = z.looseObject({
  code: z.string().nullish(),
  message: z.string().nullish(),
  type: z.string().nullish(),
  param: z.string().nullish(),
});

/** A backend's `response` object (whole body, or inside lifecycle stream events). */
export const wireResponseSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  status: z.string().nullish(),
  output: z.array(wireOutputItemSchema).nullish(),
  usage: wireUsageSchema.nullish(),
  incomplete_details: z.looseObject({ reason: z.string().nullish() }).nullish(),
  error: wireErrorObjectSchema.nullish(),
});
export type WireResponseIn = z.infer<typeof wireResponseSchema>;

/** One stream event of a backend, by its JSON `type` (the `event:` line is not relied on). */
export const wireStreamEventSchema = z.looseObject({
  type: z.string(),
  response: wireResponseSchema.nullish(),
  item: wireOutputItemSchema.nullish(),
  item_id: z.string().nullish(),
  output_index: z.number().nullish(),
  delta: z.string().nullish(),
  text: z.string().nullish(),
  arguments: z.string().nullish(),
  code: z.string().nullish(),
  message: z.string().nullish(),
  param: z.string().nullish(),
  error: wireErrorObjectSchema.nullish(),
});
export type WireStreamEvent = z.infer<typeof wireStreamEventSchema>;
