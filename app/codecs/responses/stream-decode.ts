/**
 * A Responses backend's SSE -> IR stream events. Responses streams its output items one after
 * another (`output_index` increasing), so each item maps onto IR blocks in order:
 * - message -> a text block, opened at its first text (delta, or the finished item's text);
 * - reasoning -> a thinking block from summary or raw `reasoning_text` deltas (parts joined by a
 *   blank line), or from the finished item when no delta came;
 * - function_call -> a tool_use block opened at `output_item.added` (call_id and name known),
 *   argument deltas as input_json; a call announced only by `output_item.done` opens there.
 * `response.completed` / `response.incomplete` close the message; `response.failed`, an `error`
 * event, a malformed event or a stream that ends before completion become an IR `error`.
 * The event type is read from the JSON `type` (the `event:` line is not relied on).
 */
import type { Usage } from '../../ir/conversation';
import { apiError } from '../../ir/errors';
import type { StreamEvent } from '../../ir/stream';
import type { SseMessage, StreamDecoder, TranslationContext } from '../codec';
import { decodeWireErrorObject } from './errors';
import { newResponsesId } from './ids';
import { messageText, reasoningText } from './output-items';
import { stopReasonFromStatus } from './response-status';
import { irToolName } from './tool-namespaces';
import { usageFromWire } from './usage';
import { noCopyParser } from '../no-copy-parse';
import { wireStreamEventSchema } from './wire-types';
import type { WireOutputItemIn, WireStreamEvent } from './wire-types';

/** Many events per answer: read without zod's copy when plainly fine (no-copy-parse.ts). */
const parseEvent = noCopyParser(wireStreamEventSchema);

export const TRUNCATED_RESPONSE_MESSAGE = 'the upstream closed the stream before the response finished';

interface ItemState {
  type: string;
  /** IR block index once opened. */
  block?: number;
  /** Text (or arguments) already emitted. */
  emitted: string;
  /** Summary/content part last seen, to put a blank line between parts. */
  part?: string;
}

export function createStreamDecoder(ctx: TranslationContext): StreamDecoder {
  const items = new Map<number, ItemState>();
  let started = false;
  let finished = false;
  let nextBlock = 0;
  let openBlock: number | undefined;
  let calls = 0;

  function start(out: StreamEvent[], response?: WireStreamEvent['response']): void {
    if (started) return;
    started = true;
    out.push({ type: 'message_start', id: response?.id || newResponsesId('resp'), model: response?.model || ctx.requestedModel, usage: usageFromWire(response?.usage) });
  }

  function closeOpen(out: StreamEvent[]): void {
    if (openBlock === undefined) return;
    out.push({ type: 'block_stop', index: openBlock });
    openBlock = undefined;
  }

  function open(state: ItemState, block: Extract<StreamEvent, { type: 'block_start' }>['block'], out: StreamEvent[]): number {
    if (state.block !== undefined) return state.block;
    closeOpen(out);
    state.block = nextBlock++;
    openBlock = state.block;
    out.push({ type: 'block_start', index: state.block, block });
    return state.block;
  }

  function stateOf(index: number, type: string): ItemState {
    let state = items.get(index);
    if (!state) {
      state = { type, emitted: '' };
      items.set(index, state);
    }
    return state;
  }

  function openCall(state: ItemState, item: WireOutputItemIn, out: StreamEvent[]): void {
    if (state.block !== undefined) return;
    const id = item.call_id || `call_${calls}`;
    calls++;
    open(state, { type: 'tool_use', id, name: ctx.toolNames.original(irToolName(item.name ?? '', item.namespace)) }, out);
  }

  /** Emit `text` as the next delta of the item's block (opening it), keeping what was emitted. */
  function appendText(state: ItemState, text: string, out: StreamEvent[]): void {
    if (text === '') return;
    if (state.type === 'function_call') {
      if (state.block === undefined) return;
      out.push({ type: 'block_delta', index: state.block, delta: { type: 'input_json', partialJson: text } });
    } else if (state.type === 'reasoning') {
      const index = open(state, { type: 'thinking' }, out);
      out.push({ type: 'block_delta', index, delta: { type: 'thinking', thinking: text } });
    } else {
      const index = open(state, { type: 'text' }, out);
      out.push({ type: 'block_delta', index, delta: { type: 'text', text } });
    }
    state.emitted += text;
  }

  /** The finished item may carry text no delta brought (or more of it): emit the rest. */
  function catchUp(state: ItemState, full: string, out: StreamEvent[]): void {
    if (full.length > state.emitted.length && full.startsWith(state.emitted)) appendText(state, full.slice(state.emitted.length), out);
  }

  function partDelta(state: ItemState, part: string, delta: string, out: StreamEvent[]): void {
    if (state.part !== undefined && state.part !== part && state.emitted !== '') appendText(state, '\n\n', out);
    state.part = part;
    appendText(state, delta, out);
  }

  function itemDone(index: number, item: WireOutputItemIn, out: StreamEvent[]): void {
    const state = stateOf(index, item.type);
    if (item.type === 'function_call') {
      openCall(state, item, out);
      if (state.emitted === '') appendText(state, item.arguments ?? '', out);
    } else if (item.type === 'message') catchUp(state, messageText(item), out);
    else if (item.type === 'reasoning' && state.emitted === '') catchUp(state, reasoningText(item), out);
    if (state.block !== undefined && state.block === openBlock) closeOpen(out);
  }

  function finish(event: WireStreamEvent, out: StreamEvent[]): void {
    const response = event.response;
    for (const [index, item] of (response?.output ?? []).entries()) if (!items.has(index)) itemDone(index, item, out);
    closeOpen(out);
    const usage: Usage = usageFromWire(response?.usage);
    const status = event.type === 'response.incomplete' ? 'incomplete' : (response?.status ?? 'completed');
    out.push({ type: 'message_delta', stopReason: stopReasonFromStatus(status, response?.incomplete_details?.reason, calls > 0), usage });
    out.push({ type: 'message_stop' });
    finished = true;
  }

  function fail(out: StreamEvent[], error: Parameters<typeof decodeWireErrorObject>[0]): StreamEvent[] {
    finished = true;
    out.push({ type: 'error', error: decodeWireErrorObject(error) });
    return out;
  }

  function apply(event: WireStreamEvent, out: StreamEvent[]): void {
    const index = event.output_index ?? 0;
    switch (event.type) {
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        start(out, event.response);
        return;
      case 'response.output_item.added': {
        start(out);
        if (!event.item) return;
        const state = stateOf(index, event.item.type);
        if (event.item.type === 'function_call' && event.item.name) openCall(state, event.item, out);
        return;
      }
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        start(out);
        appendText(stateOf(index, 'message'), event.delta ?? '', out);
        return;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta': {
        start(out);
        const part = `${event.type}:${String((event as { summary_index?: unknown; content_index?: unknown }).summary_index ?? (event as { content_index?: unknown }).content_index ?? 0)}`;
        partDelta(stateOf(index, 'reasoning'), part, event.delta ?? '', out);
        return;
      }
      case 'response.function_call_arguments.delta':
        start(out);
        appendText(stateOf(index, 'function_call'), event.delta ?? '', out);
        return;
      case 'response.output_item.done':
        start(out);
        if (event.item) itemDone(index, event.item, out);
        return;
      case 'response.completed':
      case 'response.incomplete':
        start(out, event.response);
        finish(event, out);
        return;
      default:
        return; // part/summary open-close and `.done` text events repeat what the deltas said
    }
  }

  return {
    push(message: SseMessage): StreamEvent[] {
      const out: StreamEvent[] = [];
      if (finished) return out;
      const data = message.data.trim();
      if (data === '' || data === '[DONE]') return out;
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        return fail(out, { message: `upstream sent a malformed stream event: ${data.slice(0, 200)}` });
      }
      const parsed = parseEvent(json);
      if (!parsed.success) return fail(out, { message: `upstream sent an unexpected stream event: ${data.slice(0, 200)}` });
      const event = parsed.data;
      if (event.type === 'response.failed') return fail(out, event.response?.error ?? { message: 'upstream reported a failed response' });
      if (event.type === 'error') return fail(out, event.error ?? { code: event.code, message: event.message, param: event.param });
      apply(event, out);
      return out;
    },
    end(): StreamEvent[] {
      if (finished) return [];
      finished = true;
      return [{ type: 'error', error: apiError('api_error', TRUNCATED_RESPONSE_MESSAGE) }];
    },
  };
}
