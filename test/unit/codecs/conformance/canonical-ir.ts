/**
 * The IR every codec must carry through its own format unchanged (after normalize.ts): a request
 * with a system prompt, text, thinking, a tool call and its result; a response and the stream of
 * the same answer; an error mid-stream.
 */
import type { ChatRequest, ChatResponse } from '../../../../app/ir/conversation';
import type { StreamEvent } from '../../../../app/ir/stream';

export function canonicalRequest(): ChatRequest {
  return {
    model: 'upstream-model',
    system: [{ type: 'text', text: 'You are a coding agent.' }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Create a.txt with 日本 in it.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Writing it.' },
          { type: 'tool_use', id: 'call_1', name: 'write_file', input: { path: 'a.txt', content: '日本\n' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', toolUseId: 'call_1', content: [{ type: 'text', text: 'written' }], isError: false }] },
      { role: 'user', content: [{ type: 'text', text: 'Thanks.' }] },
    ],
    tools: [{ name: 'write_file', description: 'Write a file.', inputSchema: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } }, required: ['path', 'content'] } }],
    toolChoice: { type: 'auto' },
    maxTokens: 4096,
    stream: true,
  };
}

export function canonicalResponse(): ChatResponse {
  return {
    id: 'up_1',
    model: 'upstream-model',
    content: [
      { type: 'thinking', thinking: 'Need a file.' },
      { type: 'text', text: 'Writing 日本 now.' },
      { type: 'tool_use', id: 'call_2', name: 'write_file', input: { path: 'b.txt', content: 'x' } },
    ],
    stopReason: 'tool_use',
    usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 40 },
  };
}

export function canonicalStream(): StreamEvent[] {
  return [
    { type: 'message_start', id: 'up_1', model: 'upstream-model', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'thinking' } },
    { type: 'block_delta', index: 0, delta: { type: 'thinking', thinking: 'Need ' } },
    { type: 'block_delta', index: 0, delta: { type: 'thinking', thinking: 'a file.' } },
    { type: 'block_stop', index: 0 },
    { type: 'block_start', index: 1, block: { type: 'text' } },
    { type: 'block_delta', index: 1, delta: { type: 'text', text: 'Writing 日' } },
    { type: 'block_delta', index: 1, delta: { type: 'text', text: '本 now.' } },
    { type: 'block_stop', index: 1 },
    { type: 'block_start', index: 2, block: { type: 'tool_use', id: 'call_2', name: 'write_file' } },
    { type: 'block_delta', index: 2, delta: { type: 'input_json', partialJson: '{"path":"b.txt",' } },
    { type: 'block_delta', index: 2, delta: { type: 'input_json', partialJson: '"content":"x"}' } },
    { type: 'block_stop', index: 2 },
    { type: 'message_delta', stopReason: 'tool_use', usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 40 } },
    { type: 'message_stop' },
  ];
}

/** A stream that fails after some text. */
export function failingStream(): StreamEvent[] {
  return [
    { type: 'message_start', id: 'up_2', model: 'upstream-model', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'block_delta', index: 0, delta: { type: 'text', text: 'partial' } },
    { type: 'error', error: { kind: 'overloaded', status: 529, message: 'upstream overloaded' } },
  ];
}
