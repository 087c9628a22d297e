/**
 * zod schema of a Chat Completions request as OpenCode (@ai-sdk/openai-compatible), Aider and
 * Cline send it. Unknown fields are tolerated (stripped); fields whose meaning Patchbay cannot
 * keep are refused in request-decode.ts with a message naming them.
 */
import { z } from 'zod';

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const imagePart = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.union([z.string(), z.looseObject({ url: z.string(), detail: z.string().optional() })]),
});
/** Any other part type is read so that the decoder can refuse it by name. */
const otherPart = z.looseObject({ type: z.string() });

export const userPartSchema = z.union([textPart, imagePart, otherPart]);

const textContent = z.union([z.string(), z.array(userPartSchema)]);

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
});

const systemMessage = z.looseObject({ role: z.enum(['system', 'developer']), content: textContent });
const userMessage = z.looseObject({ role: z.literal('user'), content: textContent });
const assistantMessage = z.looseObject({
  role: z.literal('assistant'),
  content: textContent.nullish(),
  tool_calls: z.array(toolCallSchema).nullish(),
  reasoning_content: z.string().nullish(),
});
const toolMessage = z.looseObject({ role: z.literal('tool'), tool_call_id: z.string(), content: textContent });

export const messageSchema = z.discriminatedUnion('role', [systemMessage, userMessage, assistantMessage, toolMessage]);

const toolSchema = z.looseObject({
  type: z.string(),
  function: z
    .looseObject({
      name: z.string().min(1),
      description: z.string().nullish(),
      parameters: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    })
    .optional(),
});

const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
]);

export const requestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  tools: z.array(toolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  reasoning_effort: z.string().nullish(),
  user: z.string().nullish(),
  n: z.number().int().nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().nullish(),
  response_format: z.looseObject({ type: z.string() }).nullish(),
  modalities: z.array(z.string()).nullish(),
  audio: z.unknown().optional(),
});

export type WireRequest = z.infer<typeof requestSchema>;
export type WireRequestMessage = z.infer<typeof messageSchema>;
export type WireUserPart = z.infer<typeof userPartSchema>;
