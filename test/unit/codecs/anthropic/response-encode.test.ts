import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicCodec } from '../../../../app/codecs/anthropic/index';
import { ToolNameMap } from '../../../../app/translate/tool-names';

const ctx = { toolNames: new ToolNameMap([]), requestedModel: 'claude-sonnet-4-5' };

test('an IR response encodes as an Anthropic message with legal tool ids and empty signatures', () => {
  const body = anthropicCodec.encodeResponse(
    {
      id: 'chatcmpl-1',
      model: 'moonshotai/kimi-k2.6',
      content: [
        { type: 'thinking', thinking: 'hmm' },
        { type: 'thinking', thinking: 'signed', signature: 'abc' },
        { type: 'redacted_thinking', data: 'zz' },
        { type: 'text', text: 'Writing.' },
        { type: 'tool_use', id: 'functions.Write:0', name: 'Write', input: { file_path: 'a' } },
      ],
      stopReason: 'tool_use',
      usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 100 },
    },
    ctx,
  );
  assert.deepEqual(body, {
    id: 'chatcmpl-1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [
      { type: 'thinking', thinking: 'hmm', signature: '' },
      { type: 'thinking', thinking: 'signed', signature: 'abc' },
      { type: 'redacted_thinking', data: 'zz' },
      { type: 'text', text: 'Writing.' },
      { type: 'tool_use', id: 'pbx_functions_2eWrite_3a0', name: 'Write', input: { file_path: 'a' } },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 5 },
  });
});

test('stop_sequence is echoed when set', () => {
  const body = anthropicCodec.encodeResponse(
    { id: 'm', model: 'x', content: [{ type: 'text', text: 'a' }], stopReason: 'stop_sequence', stopSequence: 'END', usage: { inputTokens: 1, outputTokens: 1 } },
    ctx,
  );
  assert.equal(body.stop_reason, 'stop_sequence');
  assert.equal(body.stop_sequence, 'END');
});
