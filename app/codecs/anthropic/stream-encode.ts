/**
 * Client side: IR stream events as Anthropic SSE (`event: <type>\ndata: <json>\n\n`),
 * shaped exactly as Anthropic sends them. `message_start` carries a fresh `msg_` id of
 * Patchbay's, never the upstream's (Claude Code merges turns that share an id).
 */
import type { BlockDelta, BlockStart, StreamEvent } from '../../ir/stream';
import { toAnthropicToolId } from '../../translate/tool-ids';
import { newMessageId } from '../minted-ids';
import type { StreamEncoder, TranslationContext } from '../codec';
import { errorBody } from './errors';
import { toWireUsage } from './usage';
import type { WireMessage, WireOutputBlock } from './wire-types';

export function sseEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function startBlock(block: BlockStart): WireOutputBlock {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: '' };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'tool_use':
      return { type: 'tool_use', id: toAnthropicToolId(block.id), name: block.name, input: {} };
  }
}

function deltaJson(delta: BlockDelta): Record<string, string> {
  switch (delta.type) {
    case 'text':
      return { type: 'text_delta', text: delta.text };
    case 'thinking':
      return { type: 'thinking_delta', thinking: delta.thinking };
    case 'signature':
      return { type: 'signature_delta', signature: delta.signature };
    case 'input_json':
      return { type: 'input_json_delta', partial_json: delta.partialJson };
  }
}

export function createStreamEncoder(ctx: TranslationContext): StreamEncoder {
  return {
    encode(event: StreamEvent): string {
      switch (event.type) {
        case 'message_start': {
          const message: WireMessage = {
            id: newMessageId(),
            type: 'message',
            role: 'assistant',
            model: ctx.requestedModel,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: toWireUsage(event.usage),
          };
          return sseEvent('message_start', { type: 'message_start', message });
        }
        case 'block_start':
          return sseEvent('content_block_start', {
            type: 'content_block_start',
            index: event.index,
            content_block: startBlock(event.block),
          });
        case 'block_delta':
          return sseEvent('content_block_delta', { type: 'content_block_delta', index: event.index, delta: deltaJson(event.delta) });
        case 'block_stop':
          return sseEvent('content_block_stop', { type: 'content_block_stop', index: event.index });
        case 'message_delta':
          return sseEvent('message_delta', {
            type: 'message_delta',
            delta: { stop_reason: event.stopReason, stop_sequence: event.stopSequence ?? null },
            usage: toWireUsage(event.usage),
          });
        case 'message_stop':
          return sseEvent('message_stop', { type: 'message_stop' });
        case 'ping':
          return sseEvent('ping', { type: 'ping' });
        case 'error':
          return sseEvent('error', errorBody(event.error));
      }
    },
  };
}
