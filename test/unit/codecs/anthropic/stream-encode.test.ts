import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicCodec } from '../../../../app/codecs/anthropic/index';
import { apiError } from '../../../../app/ir/errors';
import { ToolNameMap } from '../../../../app/translate/tool-names';

const ctx = { toolNames: new ToolNameMap([]), requestedModel: 'claude-opus-4-1' };

function parse(sse: string): { event: string; data: unknown } {
  const match = /^event: ([a-z_]+)\ndata: (.*)\n\n$/s.exec(sse);
  assert.ok(match, JSON.stringify(sse));
  return { event: match[1]!, data: JSON.parse(match[2]!) };
}

test('message_start carries the full skeleton with the requested model', () => {
  const enc = anthropicCodec.createStreamEncoder(ctx);
  const started = parse(enc.encode({ type: 'message_start', id: 'msg_x', model: 'kimi', usage: { inputTokens: 5, outputTokens: 0 } }));
  const id = (started.data as { message: { id: string } }).message.id;
  assert.deepEqual(started, {
    event: 'message_start',
    data: {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: 'claude-opus-4-1',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 0 },
      },
    },
  });
});

test('every stream gets its own msg_ id, never the upstream one (repeated upstream ids stay apart)', () => {
  const ids = [1, 2, 3].map(() => {
    const enc = anthropicCodec.createStreamEncoder(ctx);
    const started = parse(enc.encode({ type: 'message_start', id: 'chatcmpl-same', model: 'kimi', usage: { inputTokens: 1, outputTokens: 0 } }));
    return (started.data as { message: { id: string } }).message.id;
  });
  for (const id of ids) assert.match(id, /^msg_[0-9A-Za-z]{24}$/);
  assert.equal(new Set(ids).size, 3);
});

test('block starts, deltas and stops in Anthropic shapes; Kimi tool ids made legal', () => {
  const enc = anthropicCodec.createStreamEncoder(ctx);
  const cases: Array<[Parameters<typeof enc.encode>[0], string, unknown]> = [
    [{ type: 'block_start', index: 0, block: { type: 'thinking' } }, 'content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }],
    [{ type: 'block_delta', index: 0, delta: { type: 'thinking', thinking: 'hm' } }, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hm' } }],
    [{ type: 'block_delta', index: 0, delta: { type: 'signature', signature: 's' } }, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 's' } }],
    [{ type: 'block_stop', index: 0 }, 'content_block_stop', { type: 'content_block_stop', index: 0 }],
    [{ type: 'block_start', index: 1, block: { type: 'text' } }, 'content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }],
    [{ type: 'block_delta', index: 1, delta: { type: 'text', text: 'hi' } }, 'content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'hi' } }],
    [
      { type: 'block_start', index: 2, block: { type: 'tool_use', id: 'functions.Write:0', name: 'Write' } },
      'content_block_start',
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'pbx_functions_2eWrite_3a0', name: 'Write', input: {} } },
    ],
    [{ type: 'block_delta', index: 2, delta: { type: 'input_json', partialJson: '{"a"' } }, 'content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"a"' } }],
    [{ type: 'block_start', index: 3, block: { type: 'redacted_thinking', data: 'zz' } }, 'content_block_start', { type: 'content_block_start', index: 3, content_block: { type: 'redacted_thinking', data: 'zz' } }],
    [
      { type: 'message_delta', stopReason: 'tool_use', usage: { inputTokens: 5, outputTokens: 42, cacheReadTokens: 7 } },
      'message_delta',
      { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { input_tokens: 5, cache_read_input_tokens: 7, cache_creation_input_tokens: 0, output_tokens: 42 } },
    ],
    [{ type: 'message_stop' }, 'message_stop', { type: 'message_stop' }],
    [{ type: 'ping' }, 'ping', { type: 'ping' }],
    [{ type: 'error', error: apiError('overloaded', 'Overloaded') }, 'error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
  ];
  for (const [event, name, data] of cases) assert.deepEqual(parse(enc.encode(event)), { event: name, data }, JSON.stringify(event));
});
