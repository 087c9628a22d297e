/**
 * Backend side: Anthropic SSE events (already parsed into `{event, data}`) -> IR stream events.
 * Upholds the invariants of app/ir/stream.ts: block indices are renumbered from 0 (block types
 * the IR has no place for, such as server tool blocks, are skipped), nothing follows
 * `message_stop` or `error`, and a stream that ends early becomes an `error` event.
 */
import { emptyUsage } from '../../ir/conversation';
import type { Usage } from '../../ir/conversation';
import { apiError } from '../../ir/errors';
import type { BlockStart, StreamEvent } from '../../ir/stream';
import { fromAnthropicToolId } from '../../translate/tool-ids';
import type { SseMessage, StreamDecoder, TranslationContext } from '../codec';
import { decodeError } from './errors';
import { decodeStopReason } from './stop-reason';
import { mergeWireUsage } from './usage';

export const TRUNCATED_STREAM_MESSAGE = 'the upstream closed the stream before the message finished (no message_stop)';

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function createStreamDecoder(ctx: TranslationContext): StreamDecoder {
  let finished = false;
  let usage: Usage = emptyUsage();
  let nextIndex = 0;
  const indexMap = new Map<number, number>();

  function fail(message: string): StreamEvent[] {
    finished = true;
    return [{ type: 'error', error: apiError('api_error', message) }];
  }

  function blockStart(data: Obj): StreamEvent[] {
    const block = obj(data.content_block);
    let start: BlockStart;
    const follow: StreamEvent[] = [];
    const index = nextIndex;
    switch (block.type) {
      case 'text':
        start = { type: 'text' };
        if (str(block.text)) follow.push({ type: 'block_delta', index, delta: { type: 'text', text: str(block.text) } });
        break;
      case 'thinking':
        start = { type: 'thinking' };
        if (str(block.thinking)) follow.push({ type: 'block_delta', index, delta: { type: 'thinking', thinking: str(block.thinking) } });
        if (str(block.signature)) follow.push({ type: 'block_delta', index, delta: { type: 'signature', signature: str(block.signature) } });
        break;
      case 'redacted_thinking':
        start = { type: 'redacted_thinking', data: str(block.data) };
        break;
      case 'tool_use': {
        start = { type: 'tool_use', id: fromAnthropicToolId(str(block.id)), name: ctx.toolNames.original(str(block.name)) };
        const input = obj(block.input);
        if (Object.keys(input).length > 0) {
          follow.push({ type: 'block_delta', index, delta: { type: 'input_json', partialJson: JSON.stringify(input) } });
        }
        break;
      }
      default:
        return []; // not representable in the IR: its deltas and stop are skipped too
    }
    if (typeof data.index === 'number') indexMap.set(data.index, index);
    nextIndex++;
    return [{ type: 'block_start', index, block: start }, ...follow];
  }

  function blockDelta(data: Obj): StreamEvent[] {
    const index = indexMap.get(data.index as number);
    if (index === undefined) return [];
    const delta = obj(data.delta);
    switch (delta.type) {
      case 'text_delta':
        return [{ type: 'block_delta', index, delta: { type: 'text', text: str(delta.text) } }];
      case 'thinking_delta':
        return [{ type: 'block_delta', index, delta: { type: 'thinking', thinking: str(delta.thinking) } }];
      case 'signature_delta':
        return [{ type: 'block_delta', index, delta: { type: 'signature', signature: str(delta.signature) } }];
      case 'input_json_delta':
        return [{ type: 'block_delta', index, delta: { type: 'input_json', partialJson: str(delta.partial_json) } }];
      default:
        return []; // citations_delta and future kinds have no IR equivalent
    }
  }

  function handle(data: Obj, type: string): StreamEvent[] {
    switch (type) {
      case 'message_start': {
        const message = obj(data.message);
        usage = mergeWireUsage(usage, message.usage);
        return [{ type: 'message_start', id: str(message.id), model: str(message.model), usage }];
      }
      case 'content_block_start':
        return blockStart(data);
      case 'content_block_delta':
        return blockDelta(data);
      case 'content_block_stop': {
        const index = indexMap.get(data.index as number);
        return index === undefined ? [] : [{ type: 'block_stop', index }];
      }
      case 'message_delta': {
        const delta = obj(data.delta);
        usage = mergeWireUsage(usage, data.usage);
        const stopSequence = str(delta.stop_sequence);
        return [
          {
            type: 'message_delta',
            stopReason: decodeStopReason(delta.stop_reason),
            ...(stopSequence ? { stopSequence } : {}),
            usage,
          },
        ];
      }
      case 'message_stop':
        finished = true;
        return [{ type: 'message_stop' }];
      case 'ping':
        return [{ type: 'ping' }];
      case 'error':
        finished = true;
        return [{ type: 'error', error: decodeError(500, data, {}) }];
      default:
        return [];
    }
  }

  return {
    push(message: SseMessage): StreamEvent[] {
      if (finished) return [];
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.data);
      } catch {
        return fail(`the upstream sent a malformed stream event: ${message.data.slice(0, 200)}`);
      }
      const data = obj(parsed);
      const type = typeof data.type === 'string' ? data.type : (message.event ?? '');
      return handle(data, type);
    },
    end(): StreamEvent[] {
      return finished ? [] : fail(TRUNCATED_STREAM_MESSAGE);
    },
  };
}
