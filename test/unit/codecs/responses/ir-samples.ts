/** IR stream events and the matching IR response used by the Responses codec tests. */
import type { ChatResponse } from '../../../../app/ir/conversation';
import type { StreamEvent } from '../../../../app/ir/stream';

/** Thinking, text with a multi-byte character, a namespaced call in fragments, a plain call; tool_use stop. */
export function sampleStream(): StreamEvent[] {
  return [
    { type: 'message_start', id: 'up_1', model: 'kimi-k2.6', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'thinking' } },
    { type: 'block_delta', index: 0, delta: { type: 'thinking', thinking: 'The user wants ' } },
    { type: 'block_delta', index: 0, delta: { type: 'thinking', thinking: 'a file.' } },
    { type: 'block_stop', index: 0 },
    { type: 'block_start', index: 1, block: { type: 'text' } },
    { type: 'block_delta', index: 1, delta: { type: 'text', text: 'Creating it — ' } },
    { type: 'block_delta', index: 1, delta: { type: 'text', text: 'now 日本.' } },
    { type: 'block_stop', index: 1 },
    { type: 'block_start', index: 2, block: { type: 'tool_use', id: 'call_ns1', name: 'multi_agent_v1.wait_agent' } },
    { type: 'block_delta', index: 2, delta: { type: 'input_json', partialJson: '{"ids":["a' } },
    { type: 'block_delta', index: 2, delta: { type: 'input_json', partialJson: 'g1"],"timeout_ms":500}' } },
    { type: 'block_stop', index: 2 },
    { type: 'block_start', index: 3, block: { type: 'tool_use', id: 'call_ex2', name: 'exec_command' } },
    { type: 'block_delta', index: 3, delta: { type: 'input_json', partialJson: '{"cmd":"echo hi > a.txt"}' } },
    { type: 'block_stop', index: 3 },
    { type: 'message_delta', stopReason: 'tool_use', usage: { inputTokens: 120, outputTokens: 42, cacheReadTokens: 30 } },
    { type: 'message_stop' },
  ];
}

export function sampleResponse(): ChatResponse {
  return {
    id: 'up_1',
    model: 'kimi-k2.6',
    content: [
      { type: 'thinking', thinking: 'The user wants a file.' },
      { type: 'text', text: 'Creating it — now 日本.' },
      { type: 'tool_use', id: 'call_ns1', name: 'multi_agent_v1.wait_agent', input: { ids: ['ag1'], timeout_ms: 500 } },
      { type: 'tool_use', id: 'call_ex2', name: 'exec_command', input: { cmd: 'echo hi > a.txt' } },
    ],
    stopReason: 'tool_use',
    usage: { inputTokens: 120, outputTokens: 42, cacheReadTokens: 30 },
  };
}
