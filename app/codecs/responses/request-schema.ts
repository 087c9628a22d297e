/**
 * zod schema of a Responses request as Codex CLI and the `openai` SDK send it. The envelope is
 * checked here; each `input` item and tool is checked by its own schema below when decoded, so a
 * refusal names the item (`input[3]`) and its type. Unknown fields are tolerated.
 */
import { z } from 'zod';

const part = z.looseObject({ type: z.string() });
const content = z.union([z.string(), z.array(part)]);

export const inputTextPartSchema = z.looseObject({ type: z.enum(['input_text', 'output_text']), text: z.string() });
export const refusalPartSchema = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });
export const inputImagePartSchema = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.string().nullish(),
});
export const inputFilePartSchema = z.looseObject({
  type: z.literal('input_file'),
  file_data: z.string().nullish(),
  file_url: z.string().nullish(),
  file_id: z.string().nullish(),
  filename: z.string().nullish(),
});

/** A `message` item; the `type` may be left out (the SDK's EasyInputMessage). */
export const messageItemSchema = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content,
  id: z.string().nullish(),
  status: z.string().nullish(),
});

export const functionCallItemSchema = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().nullish(),
  arguments: z.string(),
  id: z.string().nullish(),
  status: z.string().nullish(),
});

export const functionCallOutputItemSchema = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: content,
  id: z.string().nullish(),
  status: z.string().nullish(),
});

const reasoningTextSchema = z.looseObject({ type: z.string(), text: z.string() });
export const reasoningItemSchema = z.looseObject({
  type: z.literal('reasoning'),
  id: z.string().nullish(),
  summary: z.array(reasoningTextSchema).nullish(),
  content: z.array(reasoningTextSchema).nullish(),
  encrypted_content: z.string().nullish(),
});

export const functionToolSchema = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

export const namespaceToolSchema = z.looseObject({
  type: z.literal('namespace'),
  name: z.string().min(1),
  description: z.string().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })),
});

const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), name: z.string(), namespace: z.string().nullish() }),
  z.looseObject({ type: z.string() }),
]);

export const requestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.looseObject({ type: z.string().optional(), role: z.string().optional() }))]),
  instructions: z.string().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  stream: z.boolean().nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish(), summary: z.string().nullish() }).nullish(),
  text: z
    .looseObject({
      format: z
        .looseObject({
          type: z.string(),
          name: z.string().nullish(),
          schema: z.record(z.string(), z.unknown()).nullish(),
          strict: z.boolean().nullish(),
          description: z.string().nullish(),
        })
        .nullish(),
    })
    .nullish(),
  previous_response_id: z.string().nullish(),
  store: z.boolean().nullish(),
  background: z.boolean().nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
});

export type WireRequest = z.infer<typeof requestSchema>;
export type WirePart = z.infer<typeof part>;
