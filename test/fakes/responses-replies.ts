/**
 * Renders a Reply as OpenAI's Responses API sends it: output items (reasoning, message,
 * function_call), the whole `response` object, and the SSE stream with every event the SDK
 * knows, each with `event:` and a `sequence_number` counting from 0.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { SseWriter } from './http-kit';
import { kimiTextToolCall } from './kimi-text';
import type { Reply } from './scenario';
import { cutIntoPieces, type Random } from './seeded-random';

type Json = Record<string, unknown>;

export interface ResponsesReplyContext {
  id: string;
  model: string;
  usage: { input: number; output: number; cached?: number };
  /** `include` asked for `reasoning.encrypted_content`. */
  encryptReasoning: boolean;
  /** Echoed request fields of the response object. */
  request: Json;
}

export type OutputItem =
  | { type: 'reasoning'; id: string; summary: Array<{ type: 'summary_text'; text: string }>; encrypted_content?: string }
  | { type: 'message'; id: string; status: string; role: 'assistant'; content: Array<{ type: 'output_text'; text: string; annotations: unknown[]; logprobs: unknown[] }> }
  | { type: 'function_call'; id: string; status: string; call_id: string; name: string; arguments: string };

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
export const newItemId = (prefix: string): string => `${prefix}_${hex(24)}`;

/** The fake's "encryption": an HMAC-signed blob only this fake instance can verify. */
export function reasoningSealer(secret: string): { seal(text: string): string; verify(blob: string): boolean } {
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    seal: (text) => {
      const payload = Buffer.from(text, 'utf8').toString('base64url');
      return `gAAAAA${payload}.${mac(payload)}`;
    },
    verify: (blob) => {
      const m = /^gAAAAA([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]+)$/.exec(blob);
      return m !== null && mac(m[1]!) === m[2];
    },
  };
}

export function outputItems(reply: Reply, seal?: (text: string) => string): OutputItem[] {
  const items: OutputItem[] = [];
  let calls = 0;
  for (const step of reply.steps) {
    if (step.type === 'reasoning') {
      items.push({ type: 'reasoning', id: newItemId('rs'), summary: [{ type: 'summary_text', text: step.text }], ...(seal ? { encrypted_content: seal(step.text) } : {}) });
    } else if (step.type === 'text' || step.type === 'kimi_text_tool_call') {
      const text = step.type === 'text' ? step.text : kimiTextToolCall(step.name, step.arguments, calls++);
      items.push({ type: 'message', id: newItemId('msg'), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] });
    } else {
      calls++;
      items.push({ type: 'function_call', id: newItemId('fc'), status: 'completed', call_id: step.id ?? `call_${hex(12)}`, name: step.name, arguments: JSON.stringify(step.arguments) });
    }
  }
  return items;
}

export function responsesUsage(u: ResponsesReplyContext['usage']): Json {
  const cached = u.cached ?? 0;
  return {
    input_tokens: u.input + cached,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.input + cached + u.output,
  };
}

/** The response object; `output` and `usage` filled when finished. */
export function responseObject(ctx: ResponsesReplyContext, status: 'in_progress' | 'completed' | 'failed', output: OutputItem[] = [], error: Json | null = null): Json {
  const r = ctx.request;
  return {
    id: ctx.id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    background: false,
    error,
    incomplete_details: null,
    instructions: r.instructions ?? null,
    max_output_tokens: r.max_output_tokens ?? null,
    model: ctx.model,
    output,
    parallel_tool_calls: r.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: (r.reasoning as Json | undefined)?.effort ?? null, summary: (r.reasoning as Json | undefined)?.summary ?? null },
    store: r.store !== false,
    temperature: r.temperature ?? 1,
    text: r.text ?? { format: { type: 'text' } },
    tool_choice: r.tool_choice ?? 'auto',
    tools: r.tools ?? [],
    top_p: r.top_p ?? 1,
    truncation: 'disabled',
    usage: status === 'completed' ? responsesUsage(ctx.usage) : null,
    user: null,
    metadata: r.metadata ?? {},
  };
}

const inProgress = (item: OutputItem): Json => {
  if (item.type === 'message') return { ...item, status: 'in_progress', content: [] };
  if (item.type === 'function_call') return { ...item, status: 'in_progress', arguments: '' };
  return { type: 'reasoning', id: item.id, summary: [] };
};

/**
 * Streams the reply. With `dropAfterItems` the socket is destroyed after that many output
 * items (no `response.completed`), as a connection lost mid-answer.
 */
export async function streamResponsesReply(
  res: ServerResponse,
  items: OutputItem[],
  ctx: ResponsesReplyContext,
  opts: { random: Random; dropAfterItems?: number },
): Promise<void> {
  const sse = new SseWriter(res);
  let seq = 0;
  const send = (type: string, data: Json) => sse.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: seq++ })}\n\n`);
  sse.start();
  if (!(await send('response.created', { response: responseObject(ctx, 'in_progress') }))) return;
  if (!(await send('response.in_progress', { response: responseObject(ctx, 'in_progress') }))) return;
  for (const [output_index, item] of items.entries()) {
    if (opts.dropAfterItems !== undefined && output_index >= opts.dropAfterItems) return sse.drop();
    const item_id = item.id;
    if (!(await send('response.output_item.added', { output_index, item: inProgress(item) }))) return;
    if (item.type === 'reasoning') {
      for (const [summary_index, part] of item.summary.entries()) {
        const at = { item_id, output_index, summary_index };
        if (!(await send('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } }))) return;
        for (const delta of cutIntoPieces(part.text, opts.random)) if (!(await send('response.reasoning_summary_text.delta', { ...at, delta }))) return;
        if (!(await send('response.reasoning_summary_text.done', { ...at, text: part.text }))) return;
        if (!(await send('response.reasoning_summary_part.done', { ...at, part }))) return;
      }
    } else if (item.type === 'message') {
      const part = item.content[0]!;
      const at = { item_id, output_index, content_index: 0 };
      if (!(await send('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } }))) return;
      for (const delta of cutIntoPieces(part.text, opts.random)) if (!(await send('response.output_text.delta', { ...at, delta, logprobs: [] }))) return;
      if (!(await send('response.output_text.done', { ...at, text: part.text, logprobs: [] }))) return;
      if (!(await send('response.content_part.done', { ...at, part }))) return;
    } else {
      for (const delta of cutIntoPieces(item.arguments, opts.random)) if (!(await send('response.function_call_arguments.delta', { item_id, output_index, delta }))) return;
      if (!(await send('response.function_call_arguments.done', { item_id, output_index, arguments: item.arguments }))) return;
    }
    if (!(await send('response.output_item.done', { output_index, item }))) return;
  }
  if (opts.dropAfterItems !== undefined) return sse.drop();
  if (!(await send('response.completed', { response: responseObject(ctx, 'completed', items) }))) return;
  sse.end();
}
