/** Renders a Reply as NIM (OpenAI Chat Completions, Kimi flavour) would send it: stream or whole. */
import type { ServerResponse } from 'node:http';
import { SseWriter } from './http-kit';
import { kimiTextToolCall } from './kimi-text';
import type { Reply, Step } from './scenario';
import { cutIntoPieces, type Random } from './seeded-random';

export interface NimCall {
  id: string;
  name: string;
  arguments: string;
}

export interface NimUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

export interface NimReplyContext {
  model: string;
  /** Tool calls already in the conversation: Kimi numbers ids across it (`functions.Write:<n>`). */
  priorToolCalls: number;
  usage: { input: number; output: number; cached?: number };
}

export function nimUsage(u: NimReplyContext['usage']): NimUsage {
  const cached = u.cached ?? 0;
  return {
    prompt_tokens: u.input + cached,
    completion_tokens: u.output,
    total_tokens: u.input + cached + u.output,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

/** Assigns the ids of a reply's tool calls (Kimi style unless the step names one). */
export function nimToolCalls(steps: Step[], priorToolCalls: number): Map<Step, NimCall> {
  const calls = new Map<Step, NimCall>();
  let n = priorToolCalls;
  for (const step of steps) {
    if (step.type === 'tool_call') {
      calls.set(step, { id: step.id ?? `functions.${step.name}:${n}`, name: step.name, arguments: JSON.stringify(step.arguments) });
      n++;
    } else if (step.type === 'kimi_text_tool_call') {
      n++;
    }
  }
  return calls;
}

function textOfKimiStep(step: Step, steps: Step[], priorToolCalls: number): string {
  if (step.type !== 'kimi_text_tool_call') return '';
  let n = priorToolCalls;
  for (const s of steps) {
    if (s === step) break;
    if (s.type === 'tool_call' || s.type === 'kimi_text_tool_call') n++;
  }
  return kimiTextToolCall(step.name, step.arguments, n);
}

/** `id` undefined: the response carries no `id` field (some OpenAI-compatible servers). */
export function nimCompletion(reply: Reply, ctx: NimReplyContext, id: string | undefined): unknown {
  const calls = nimToolCalls(reply.steps, ctx.priorToolCalls);
  let content = '';
  let reasoning = '';
  for (const step of reply.steps) {
    if (step.type === 'text') content += step.text;
    else if (step.type === 'reasoning') reasoning += step.text;
    else if (step.type === 'kimi_text_tool_call') content += textOfKimiStep(step, reply.steps, ctx.priorToolCalls);
  }
  const toolCalls = [...calls.values()].map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  return {
    ...(id !== undefined ? { id } : {}),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: ctx.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: content === '' && toolCalls.length > 0 ? null : content,
          ...(reasoning ? { reasoning_content: reasoning } : {}),
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
      },
    ],
    usage: nimUsage(ctx.usage),
  };
}

/**
 * Streams a reply as `data:` chunks. With `dropAfterSteps` the socket is destroyed after that
 * many steps (no finish chunk, no [DONE]).
 */
export async function streamNimReply(
  res: ServerResponse,
  reply: Reply,
  ctx: NimReplyContext,
  opts: { id: string | undefined; includeUsage: boolean; random: Random; dropAfterSteps?: number },
): Promise<void> {
  const sse = new SseWriter(res);
  const created = Math.floor(Date.now() / 1000);
  const idField = opts.id !== undefined ? { id: opts.id } : {};
  const chunk = (delta: unknown, finish: string | null = null) => ({
    ...idField,
    object: 'chat.completion.chunk',
    created,
    model: ctx.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const send = (value: unknown) => sse.write(`data: ${JSON.stringify(value)}\n\n`);
  sse.start();
  if (!(await send(chunk({ role: 'assistant', content: '' })))) return;

  const calls = nimToolCalls(reply.steps, ctx.priorToolCalls);
  let toolIndex = 0;
  for (const [i, step] of reply.steps.entries()) {
    if (opts.dropAfterSteps !== undefined && i >= opts.dropAfterSteps) return sse.drop();
    if (step.type === 'reasoning' || step.type === 'text' || step.type === 'kimi_text_tool_call') {
      const field = step.type === 'reasoning' ? 'reasoning_content' : 'content';
      const text = step.type === 'kimi_text_tool_call' ? textOfKimiStep(step, reply.steps, ctx.priorToolCalls) : step.text;
      for (const piece of cutIntoPieces(text, opts.random)) {
        if (!(await send(chunk({ [field]: piece })))) return;
      }
    } else {
      const call = calls.get(step)!;
      const index = toolIndex++;
      const head = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
      if (!(await send(chunk({ tool_calls: [head] })))) return;
      for (const piece of cutIntoPieces(call.arguments, opts.random)) {
        if (!(await send(chunk({ tool_calls: [{ index, function: { arguments: piece } }] })))) return;
      }
    }
  }
  if (opts.dropAfterSteps !== undefined) return sse.drop();
  if (!(await send(chunk({}, calls.size > 0 ? 'tool_calls' : 'stop')))) return;
  if (opts.includeUsage) {
    const usageChunk = { ...idField, object: 'chat.completion.chunk', created, model: ctx.model, choices: [], usage: nimUsage(ctx.usage) };
    if (!(await send(usageChunk))) return;
  }
  if (!(await sse.write('data: [DONE]\n\n'))) return;
  sse.end();
}
