/**
 * The answer a stream carried, rebuilt from its IR events (app/ir/stream.ts) as they pass: text,
 * thinking (with its signature), redacted thinking and tool calls with their JSON input, in
 * order, with the stop reason and usage. Only a stream that finished (`message_stop`, no `error`)
 * yields an answer, so a cut or failed stream is never remembered as complete.
 */
import type { ChatResponse, OutputBlock, StopReason, Usage } from '../ir/conversation';
import { emptyUsage } from '../ir/conversation';
import type { StreamEvent } from '../ir/stream';
import { parseToolArguments } from '../codecs/openai/tool-arguments';

type OpenBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; json: string };

export class StreamCollector {
  private id = '';
  private model = '';
  private usage: Usage = emptyUsage();
  private stopReason: StopReason = 'end_turn';
  private stopSequence: string | undefined;
  private readonly blocks = new Map<number, OpenBlock>();
  private finished = false;
  private failed = false;

  /** Feed every IR event of the stream, in order. */
  push(event: StreamEvent): void {
    if (this.finished || this.failed) return;
    switch (event.type) {
      case 'message_start':
        this.id = event.id;
        this.model = event.model;
        this.usage = { ...event.usage };
        return;
      case 'block_start':
        this.blocks.set(event.index, openBlock(event.block));
        return;
      case 'block_delta': {
        const block = this.blocks.get(event.index);
        const { delta } = event;
        if (block?.type === 'text' && delta.type === 'text') block.text += delta.text;
        else if (block?.type === 'thinking' && delta.type === 'thinking') block.thinking += delta.thinking;
        else if (block?.type === 'thinking' && delta.type === 'signature') block.signature += delta.signature;
        else if (block?.type === 'tool_use' && delta.type === 'input_json') block.json += delta.partialJson;
        return;
      }
      case 'message_delta':
        this.stopReason = event.stopReason;
        this.stopSequence = event.stopSequence;
        this.usage = { ...event.usage };
        return;
      case 'message_stop':
        this.finished = true;
        return;
      case 'error':
        this.failed = true;
        return;
      case 'block_stop':
      case 'ping':
        return;
    }
  }

  /** The whole answer once the stream finished; undefined while under way, or when it failed. */
  response(): ChatResponse | undefined {
    if (!this.finished || this.failed) return undefined;
    const content = [...this.blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => closedBlock(block));
    const response: ChatResponse = { id: this.id, model: this.model, content, stopReason: this.stopReason, usage: this.usage };
    if (this.stopSequence !== undefined) response.stopSequence = this.stopSequence;
    return response;
  }
}

function openBlock(start: Extract<StreamEvent, { type: 'block_start' }>['block']): OpenBlock {
  switch (start.type) {
    case 'text':
      return { type: 'text', text: '' };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: start.data };
    case 'tool_use':
      return { type: 'tool_use', id: start.id, name: start.name, json: '' };
  }
}

function closedBlock(block: OpenBlock): OutputBlock {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'thinking':
      return block.signature ? { type: 'thinking', thinking: block.thinking, signature: block.signature } : { type: 'thinking', thinking: block.thinking };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: parseToolArguments(block.json) };
  }
}
