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
  assert.match(String(body.id), /^msg_[0-9A-Za-z]{24}$/);
  assert.deepEqual(body, {
    id: body.id,
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

test('two responses with the same upstream id get different, well-shaped msg_ ids', () => {
  const response = { id: 'chatcmpl-repeated', model: 'x', content: [{ type: 'text' as const, text: 'a' }], stopReason: 'end_turn' as const, usage: { inputTokens: 1, outputTokens: 1 } };
  const first = anthropicCodec.encodeResponse(response, ctx).id;
  const second = anthropicCodec.encodeResponse(response, ctx).id;
  assert.match(String(first), /^msg_[0-9A-Za-z]{24}$/);
  assert.match(String(second), /^msg_[0-9A-Za-z]{24}$/);
  assert.notEqual(first, second);
});

test('an upstream that gave no id still yields a well-shaped msg_ id', () => {
  const body = anthropicCodec.encodeResponse({ id: '', model: 'x', content: [], stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 } }, ctx);
  assert.match(String(body.id), /^msg_[0-9A-Za-z]{24}$/);
});
