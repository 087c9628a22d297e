/**
 * IR output blocks <-> Responses output items, shared by the whole-body and stream codecs:
 * text -> `message` (one `output_text` part), thinking -> `reasoning` (one summary part),
 * tool_use -> `function_call` (namespace split back out, see tool-namespaces.ts).
 */
import type { OutputBlock } from '../../ir/conversation';
import type { TranslationContext } from '../codec';
import { parseToolArguments } from '../openai/tool-arguments';
import { newResponsesId } from './ids';
import { blockFromEncryptedContent, encryptedContentOf } from './reasoning-carrier';
import { irToolName, splitNamespacedName } from './tool-namespaces';
import type { WireFunctionCallItem, WireMessageItem, WireOutputItem, WireOutputItemIn, WireReasoningItem } from './wire-types';

export function messageItem(text: string, status: WireMessageItem['status'] = 'completed', id = newResponsesId('msg')): WireMessageItem {
  return { type: 'message', id, status, role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] };
}

/** A reasoning item; an empty text has no summary part unless `keepEmptyPart` (a stream that announced one). */
export function reasoningItem(text: string, encrypted: string | undefined, id = newResponsesId('rs'), keepEmptyPart = false): WireReasoningItem {
  const item: WireReasoningItem = { type: 'reasoning', id, summary: text === '' && !keepEmptyPart ? [] : [{ type: 'summary_text', text }] };
  if (encrypted !== undefined) item.encrypted_content = encrypted;
  return item;
}

export function functionCallItem(callId: string, irName: string, args: string, status: WireFunctionCallItem['status'] = 'completed', id = newResponsesId('fc')): WireFunctionCallItem {
  const { name, namespace } = splitNamespacedName(irName);
  return { type: 'function_call', id, call_id: callId, name, ...(namespace ? { namespace } : {}), arguments: args, status };
}

/** Output items of an IR response, in order. */
export function outputItems(blocks: OutputBlock[]): WireOutputItem[] {
  return blocks.map((block) => {
    switch (block.type) {
      case 'text':
        return messageItem(block.text);
      case 'thinking':
        return reasoningItem(block.thinking, encryptedContentOf(block));
      case 'redacted_thinking':
        return reasoningItem('', encryptedContentOf(block));
      case 'tool_use':
        return functionCallItem(block.id, block.name, JSON.stringify(block.input));
    }
  });
}

/** Text of a backend's message item (refusals kept as text). */
export function messageText(item: WireOutputItemIn): string {
  return (item.content ?? []).map((p) => (p.type === 'refusal' ? (p.refusal ?? '') : (p.text ?? ''))).join('');
}

/** Raw reasoning text when present, else the summaries. */
export function reasoningText(item: WireOutputItemIn): string {
  const raw = (item.content ?? []).filter((p) => p.type === 'reasoning_text').map((p) => p.text ?? '');
  return (raw.length > 0 ? raw : (item.summary ?? []).map((p) => p.text ?? '')).join('\n\n');
}

/** IR blocks of one backend output item ([] for items a client cannot use). */
export function blocksOfItem(item: WireOutputItemIn, ctx: TranslationContext, ordinal: number): OutputBlock[] {
  switch (item.type) {
    case 'message': {
      const text = messageText(item);
      return text === '' ? [] : [{ type: 'text', text }];
    }
    case 'reasoning': {
      const text = reasoningText(item);
      const carried = item.encrypted_content ? blockFromEncryptedContent(item.encrypted_content, text) : undefined;
      if (carried) return [carried];
      return text === '' ? [] : [{ type: 'thinking', thinking: text }];
    }
    case 'function_call':
      return [
        {
          type: 'tool_use',
          id: item.call_id || `call_${ordinal}`,
          name: ctx.toolNames.original(irToolName(item.name ?? '', item.namespace)),
          input: parseToolArguments(item.arguments ?? ''),
        },
      ];
    default:
      return [];
  }
}
