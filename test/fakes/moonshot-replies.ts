/** Renders a Reply as Moonshot's Anthropic-format endpoint sends it: SSE stream or whole message. */
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { SseWriter } from './http-kit';
import { kimiTextToolCall } from './kimi-text';
import type { Step } from './scenario';
import { cutIntoPieces, type Random } from './seeded-random';

export interface MoonshotReplyContext {
  model: string;
  /** Tool calls already in the conversation (numbers Kimi's text-emitted calls). */
  priorToolCalls: number;
  usage: { input: number; output: number; cached?: number };
}

type Block =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export function signatureOf(thinking: string): string {
  return createHash('sha256').update('fake-moonshot:' + thinking).digest('base64');
}

export function moonshotBlocks(steps: Step[], priorToolCalls: number): Block[] {
  let n = priorToolCalls;
  return steps.map((step): Block => {
    switch (step.type) {
      case 'reasoning':
        return { type: 'thinking', thinking: step.text, signature: signatureOf(step.text) };
      case 'text':
        return { type: 'text', text: step.text };
      case 'kimi_text_tool_call':
        return { type: 'text', text: kimiTextToolCall(step.name, step.arguments, n++) };
      case 'tool_call':
        n++;
        return { type: 'tool_use', id: step.id ?? 'toolu_' + randomUUID().replace(/-/g, '').slice(0, 24), name: step.name, input: step.arguments };
    }
  });
}

function stopReason(blocks: Block[]): 'tool_use' | 'end_turn' {
  return blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
}

function usageOf(u: MoonshotReplyContext['usage']) {
  return { input_tokens: u.input, cache_creation_input_tokens: 0, cache_read_input_tokens: u.cached ?? 0, output_tokens: u.output };
}

export function moonshotMessage(blocks: Block[], ctx: MoonshotReplyContext, id: string): unknown {
  return { id, type: 'message', role: 'assistant', model: ctx.model, content: blocks, stop_reason: stopReason(blocks), stop_sequence: null, usage: usageOf(ctx.usage) };
}

/** Streams blocks as Anthropic SSE; with `dropAfterSteps` the socket is destroyed after that many blocks. */
export async function streamMoonshotReply(
  res: ServerResponse,
  blocks: Block[],
  ctx: MoonshotReplyContext,
  opts: { id: string; random: Random; dropAfterSteps?: number },
): Promise<void> {
  const sse = new SseWriter(res);
  const send = (event: string, data: Record<string, unknown>) => sse.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  sse.start();
  const start = { id: opts.id, type: 'message', role: 'assistant', model: ctx.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usageOf(ctx.usage), output_tokens: 1 } };
  if (!(await send('message_start', { message: start }))) return;
  if (!(await send('ping', {}))) return;
  for (const [index, block] of blocks.entries()) {
    if (opts.dropAfterSteps !== undefined && index >= opts.dropAfterSteps) return sse.drop();
    const delta = (d: Record<string, unknown>) => send('content_block_delta', { index, delta: d });
    if (block.type === 'text') {
      if (!(await send('content_block_start', { index, content_block: { type: 'text', text: '' } }))) return;
      for (const piece of cutIntoPieces(block.text, opts.random)) if (!(await delta({ type: 'text_delta', text: piece }))) return;
    } else if (block.type === 'thinking') {
      if (!(await send('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }))) return;
      for (const piece of cutIntoPieces(block.thinking, opts.random)) if (!(await delta({ type: 'thinking_delta', thinking: piece }))) return;
      if (!(await delta({ type: 'signature_delta', signature: block.signature }))) return;
    } else {
      if (!(await send('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }))) return;
      for (const piece of cutIntoPieces(JSON.stringify(block.input), opts.random)) if (!(await delta({ type: 'input_json_delta', partial_json: piece }))) return;
    }
    if (!(await send('content_block_stop', { index }))) return;
    if (opts.random() < 0.3 && !(await send('ping', {}))) return;
  }
  if (opts.dropAfterSteps !== undefined) return sse.drop();
  const usage = usageOf(ctx.usage);
  if (!(await send('message_delta', { delta: { stop_reason: stopReason(blocks), stop_sequence: null }, usage }))) return;
  if (!(await send('message_stop', {}))) return;
  sse.end();
}

export type { Block as MoonshotBlock };
