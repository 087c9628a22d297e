/**
 * IR stream events -> `chat.completion.chunk` SSE for an OpenAI-format client. Every chunk of
 * one stream carries the same fresh id of Patchbay's, never the upstream's.
 */
import type { Usage } from '../../ir/conversation';
import type { StreamEvent } from '../../ir/stream';
import type { StreamEncoder, TranslationContext } from '../codec';
import { errorBody } from './errors';
import { finishFromStopReason } from './finish-reason';
import type { FinishReason } from './finish-reason';
import { newCompletionId } from './ids';
import { usageToWire } from './usage';

function sse(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export function createStreamEncoder(ctx: TranslationContext): StreamEncoder {
  const id = newCompletionId();
  const created = Math.floor(Date.now() / 1000);
  /** IR block index -> OpenAI tool_calls index, for tool_use blocks. */
  const toolIndexOfBlock = new Map<number, number>();
  let toolCount = 0;
  let closed = false;

  function chunk(delta: Record<string, unknown>, finishReason: FinishReason | null = null): string {
    return sse({
      id,
      object: 'chat.completion.chunk',
      created,
      model: ctx.requestedModel,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
  }

  function usageChunk(usage: Usage): string {
    return sse({ id, object: 'chat.completion.chunk', created, model: ctx.requestedModel, choices: [], usage: usageToWire(usage) });
  }

  function encodeEvent(event: StreamEvent): string {
    switch (event.type) {
      case 'message_start':
        return chunk({ role: 'assistant', content: '' });
      case 'block_start': {
        if (event.block.type !== 'tool_use') return '';
        const index = toolCount++;
        toolIndexOfBlock.set(event.index, index);
        return chunk({
          tool_calls: [{ index, id: event.block.id, type: 'function', function: { name: event.block.name, arguments: '' } }],
        });
      }
      case 'block_delta': {
        const { delta } = event;
        if (delta.type === 'text') return delta.text === '' ? '' : chunk({ content: delta.text });
        if (delta.type === 'thinking') return delta.thinking === '' ? '' : chunk({ reasoning_content: delta.thinking });
        if (delta.type === 'input_json') {
          const index = toolIndexOfBlock.get(event.index);
          if (index === undefined || delta.partialJson === '') return '';
          return chunk({ tool_calls: [{ index, function: { arguments: delta.partialJson } }] });
        }
        return ''; // signatures mean nothing to an OpenAI client
      }
      case 'block_stop':
        return '';
      case 'message_delta':
        return chunk({}, finishFromStopReason(event.stopReason)) + (ctx.includeUsage ? usageChunk(event.usage) : '');
      case 'message_stop':
        closed = true;
        return 'data: [DONE]\n\n';
      case 'ping':
        return ': ping\n\n';
      case 'error':
        closed = true;
        return sse(errorBody(event.error));
    }
  }

  return {
    encode(event) {
      if (closed) return '';
      return encodeEvent(event);
    },
  };
}
