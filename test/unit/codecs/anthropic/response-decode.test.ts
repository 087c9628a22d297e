import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicCodec } from '../../../../app/codecs/anthropic/index';
import { ApiErrorException } from '../../../../app/ir/errors';
import { ToolNameMap } from '../../../../app/translate/tool-names';

const long = 'mcp__a_very_long_server_name__with_an_even_longer_tool_name_that_overflows';
const names = new ToolNameMap([long]);
const ctx = { toolNames: names, requestedModel: 'gpt-x' };

test('an Anthropic message decodes to the IR (ids unescaped, wire names restored, unknown blocks skipped)', () => {
  const res = anthropicCodec.decodeResponse(
    {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'kimi-k2.6',
      content: [
        { type: 'thinking', thinking: 'plan', signature: 'sig' },
        { type: 'text', text: 'hello', citations: null },
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
        { type: 'tool_use', id: 'pbx_functions_2eWrite_3a0', name: 'Write', input: { a: 1 } },
        { type: 'tool_use', id: 'toolu_2', name: names.wire(long), input: {} },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 34, cache_read_input_tokens: 5, cache_creation_input_tokens: null },
    },
    ctx,
  );
  assert.deepEqual(res, {
    id: 'msg_1',
    model: 'kimi-k2.6',
    content: [
      { type: 'thinking', thinking: 'plan', signature: 'sig' },
      { type: 'text', text: 'hello' },
      { type: 'tool_use', id: 'functions.Write:0', name: 'Write', input: { a: 1 } },
      { type: 'tool_use', id: 'toolu_2', name: long, input: {} },
    ],
    stopReason: 'tool_use',
    usage: { inputTokens: 12, outputTokens: 34, cacheReadTokens: 5 },
  });
});

test('stop reasons: known kept, unknown mapped, stop_sequence kept', () => {
  const base = { id: 'm', model: 'k', content: [], usage: { input_tokens: 1, output_tokens: 1 } };
  assert.equal(anthropicCodec.decodeResponse({ ...base, stop_reason: 'max_tokens' }, ctx).stopReason, 'max_tokens');
  assert.equal(anthropicCodec.decodeResponse({ ...base, stop_reason: 'model_context_window_exceeded' }, ctx).stopReason, 'max_tokens');
  assert.equal(anthropicCodec.decodeResponse({ ...base, stop_reason: null }, ctx).stopReason, 'end_turn');
  const seq = anthropicCodec.decodeResponse({ ...base, stop_reason: 'stop_sequence', stop_sequence: '###' }, ctx);
  assert.equal(seq.stopSequence, '###');
});

test('a malformed response raises an api_error', () => {
  assert.throws(
    () => anthropicCodec.decodeResponse({ id: 'm', content: 'nope' }, ctx),
    (e: unknown) => e instanceof ApiErrorException && e.apiError.kind === 'api_error' && /content/.test(e.apiError.message),
  );
  assert.throws(
    () => anthropicCodec.decodeResponse({ content: [{ type: 'tool_use', id: 'x', name: 'n' }] }, ctx),
    (e: unknown) => e instanceof ApiErrorException && /input/.test(e.apiError.message),
  );
});
