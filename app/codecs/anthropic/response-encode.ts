/**
 * Client side: an IR ChatResponse as Anthropic's non-streaming `message` JSON, with a fresh
 * `msg_` id of Patchbay's (the upstream's, in `response.id`, is for the request log only).
 */
import type { ChatResponse, OutputBlock } from '../../ir/conversation';
import { toAnthropicToolId } from '../../translate/tool-ids';
import { newMessageId } from '../minted-ids';
import type { TranslationContext } from '../codec';
import { toWireUsage } from './usage';
import type { WireMessage, WireOutputBlock } from './wire-types';

export function outputBlockJson(block: OutputBlock): WireOutputBlock {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'thinking':
      // Empty signature = not Anthropic-signed (reasoning from another backend).
      return { type: 'thinking', thinking: block.thinking, signature: block.signature ?? '' };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'tool_use':
      return { type: 'tool_use', id: toAnthropicToolId(block.id), name: block.name, input: block.input };
  }
}

export function encodeResponse(response: ChatResponse, ctx: TranslationContext): WireMessage {
  return {
    id: newMessageId(),
    type: 'message',
    role: 'assistant',
    model: ctx.requestedModel,
    content: response.content.map(outputBlockJson),
    stop_reason: response.stopReason,
    stop_sequence: response.stopSequence ?? null,
    usage: toWireUsage(response.usage),
  };
}
