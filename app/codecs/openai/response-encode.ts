/**
 * IR response -> `chat.completion` JSON for an OpenAI-format client. The id is always a fresh
 * one of Patchbay's (the upstream's, in `response.id`, is for the request log only).
 */
import type { ChatResponse } from '../../ir/conversation';
import type { TranslationContext } from '../codec';
import { finishFromStopReason } from './finish-reason';
import { newCompletionId } from './ids';
import { usageToWire } from './usage';
import type { WireToolCall } from './wire-types';

export function encodeResponse(response: ChatResponse, ctx: TranslationContext): Record<string, unknown> {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: WireToolCall[] = [];
  for (const block of response.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'thinking') reasoning.push(block.thinking);
    else if (block.type === 'tool_use')
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input) } });
    // redacted_thinking: opaque, nothing an OpenAI client can use
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('') : null,
  };
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('');
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: newCompletionId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: ctx.requestedModel,
    choices: [{ index: 0, message, finish_reason: finishFromStopReason(response.stopReason), logprobs: null }],
    usage: usageToWire(response.usage),
  };
}
