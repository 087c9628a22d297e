/**
 * IR stream events -> the Responses SSE event sequence the `openai` SDK and Codex expect:
 * `response.created`, `response.in_progress`, then per output item `output_item.added`,
 * its part/summary/argument events and `output_item.done` carrying the whole item, then
 * `response.completed` (or `response.incomplete` for a max_tokens stop) with a fresh `resp_` id
 * and `input_tokens`/`output_tokens`/`total_tokens`. An IR `error` becomes `response.failed`
 * (Codex retries it). Every event has a `sequence_number`; `event:` names its `type`.
 */
import type { StopReason, Usage } from '../../ir/conversation';
import type { StreamEvent } from '../../ir/stream';
import type { StreamEncoder, TranslationContext } from '../codec';
import { failedResponseError } from './errors';
import { newResponsesId } from './ids';
import { functionCallItem, messageItem, reasoningItem } from './output-items';
import { encryptedContentOf } from './reasoning-carrier';
import { responseEnvelope } from './response-envelope';
import type { EnvelopeFields } from './response-envelope';
import { statusFromStopReason } from './response-status';
import type { WireOutputItem } from './wire-types';

interface OpenItem {
  kind: 'text' | 'thinking' | 'redacted' | 'tool';
  id: string;
  outputIndex: number;
  text: string;
  signature?: string;
  redactedData?: string;
  callId?: string;
  name?: string;
}

export function createStreamEncoder(ctx: TranslationContext): StreamEncoder {
  const id = ctx.responseId ?? newResponsesId('resp');
  const createdAt = Math.floor(Date.now() / 1000);
  const done: WireOutputItem[] = [];
  let sequence = 0;
  let started = false;
  let closed = false;
  let open: OpenItem | undefined;
  let stopReason: StopReason = 'end_turn';
  let usage: Usage | undefined;

  function sse(type: string, fields: Record<string, unknown>): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
  }

  function envelope(fields: Omit<EnvelopeFields, 'id' | 'createdAt'>): Record<string, unknown> {
    return responseEnvelope({ id, createdAt, ...fields }, ctx);
  }

  function start(): string {
    if (started) return '';
    started = true;
    const response = envelope({ status: 'in_progress', output: [] });
    return sse('response.created', { response }) + sse('response.in_progress', { response });
  }

  function finishedItem(item: OpenItem, status: 'completed' | 'incomplete' = 'completed'): WireOutputItem {
    switch (item.kind) {
      case 'text':
        return messageItem(item.text, status, item.id);
      case 'thinking':
        return reasoningItem(item.text, encryptedContentOf(item.signature ? { signature: item.signature } : {}), item.id, true);
      case 'redacted':
        return reasoningItem('', encryptedContentOf({ type: 'redacted_thinking', data: item.redactedData ?? '' }), item.id);
      case 'tool':
        return functionCallItem(item.callId ?? '', item.name ?? '', item.text === '' ? '{}' : item.text, status, item.id);
    }
  }

  function openItem(item: OpenItem): string {
    open = item;
    const where = { output_index: item.outputIndex };
    const at = { item_id: item.id, ...where };
    switch (item.kind) {
      case 'text':
        return (
          sse('response.output_item.added', { ...where, item: { type: 'message', id: item.id, status: 'in_progress', role: 'assistant', content: [] } }) +
          sse('response.content_part.added', { ...at, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } })
        );
      case 'thinking':
        return (
          sse('response.output_item.added', { ...where, item: { type: 'reasoning', id: item.id, summary: [] } }) +
          sse('response.reasoning_summary_part.added', { ...at, summary_index: 0, part: { type: 'summary_text', text: '' } })
        );
      case 'redacted':
        return sse('response.output_item.added', { ...where, item: { type: 'reasoning', id: item.id, summary: [] } });
      case 'tool': {
        const added = { ...functionCallItem(item.callId ?? '', item.name ?? '', '', 'in_progress', item.id) };
        return sse('response.output_item.added', { ...where, item: added });
      }
    }
  }

  function closeItem(): string {
    const item = open;
    if (!item) return '';
    open = undefined;
    const finished = finishedItem(item);
    done.push(finished);
    const where = { output_index: item.outputIndex };
    const at = { item_id: item.id, ...where };
    let out = '';
    if (item.kind === 'text') {
      out += sse('response.output_text.done', { ...at, content_index: 0, text: item.text, logprobs: [] });
      out += sse('response.content_part.done', { ...at, content_index: 0, part: { type: 'output_text', text: item.text, annotations: [], logprobs: [] } });
    } else if (item.kind === 'thinking') {
      out += sse('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: item.text });
      out += sse('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: { type: 'summary_text', text: item.text } });
    } else if (item.kind === 'tool' && finished.type === 'function_call') {
      out += sse('response.function_call_arguments.done', { ...at, name: finished.name, arguments: finished.arguments });
    }
    return out + sse('response.output_item.done', { ...where, item: finished });
  }

  function encodeEvent(event: StreamEvent): string {
    switch (event.type) {
      case 'message_start':
        return start();
      case 'block_start': {
        const head = start() + closeItem();
        const outputIndex = done.length;
        const block = event.block;
        if (block.type === 'text') return head + openItem({ kind: 'text', id: newResponsesId('msg'), outputIndex, text: '' });
        if (block.type === 'thinking') return head + openItem({ kind: 'thinking', id: newResponsesId('rs'), outputIndex, text: '' });
        if (block.type === 'redacted_thinking') return head + openItem({ kind: 'redacted', id: newResponsesId('rs'), outputIndex, text: '', redactedData: block.data });
        return head + openItem({ kind: 'tool', id: newResponsesId('fc'), outputIndex, text: '', callId: block.id, name: block.name });
      }
      case 'block_delta': {
        const item = open;
        if (!item) return '';
        const at = { item_id: item.id, output_index: item.outputIndex };
        const { delta } = event;
        if (delta.type === 'text' && item.kind === 'text' && delta.text !== '') {
          item.text += delta.text;
          return sse('response.output_text.delta', { ...at, content_index: 0, delta: delta.text, logprobs: [] });
        }
        if (delta.type === 'thinking' && item.kind === 'thinking' && delta.thinking !== '') {
          item.text += delta.thinking;
          return sse('response.reasoning_summary_text.delta', { ...at, summary_index: 0, delta: delta.thinking });
        }
        if (delta.type === 'signature' && item.kind === 'thinking') {
          item.signature = (item.signature ?? '') + delta.signature;
          return '';
        }
        if (delta.type === 'input_json' && item.kind === 'tool' && delta.partialJson !== '') {
          item.text += delta.partialJson;
          return sse('response.function_call_arguments.delta', { ...at, delta: delta.partialJson });
        }
        return '';
      }
      case 'block_stop':
        return closeItem();
      case 'message_delta':
        stopReason = event.stopReason;
        usage = event.usage;
        return '';
      case 'message_stop': {
        closed = true;
        const head = start() + closeItem();
        const { status, incompleteReason } = statusFromStopReason(stopReason);
        const response = envelope({ status, output: done, ...(usage ? { usage } : {}), ...(incompleteReason ? { incompleteReason } : {}) });
        return head + sse(status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
      }
      case 'ping':
        return ': ping\n\n';
      case 'error': {
        closed = true;
        const head = start();
        const partial = open ? [...done, finishedItem(open, 'incomplete')] : done;
        open = undefined;
        return head + sse('response.failed', { response: envelope({ status: 'failed', output: partial, error: failedResponseError(event.error) }) });
      }
    }
  }

  return {
    encode(event) {
      if (closed) return '';
      return encodeEvent(event);
    },
  };
}
