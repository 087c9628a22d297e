import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openaiCodec, wantsStreamUsage } from '../../../../app/codecs/openai/index';
import { ApiErrorException } from '../../../../app/ir/errors';
import { ToolNameMap } from '../../../../app/translate/tool-names';

/** Shaped like what OpenCode (@ai-sdk/openai-compatible) sends on a second tool round. */
const OPENCODE_BODY = {
  model: 'kimi-k2.6',
  messages: [
    { role: 'system', content: 'You are opencode.' },
    { role: 'developer', content: [{ type: 'text', text: 'Be brief.' }] },
    { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
    {
      role: 'assistant',
      content: null,
      reasoning_content: 'I should read both.',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'read', arguments: '{"path":"a"}' } },
        { id: 'call_2', type: 'function', function: { name: 'read', arguments: '{"path":' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_1', content: 'A' },
    { role: 'tool', tool_call_id: 'call_2', content: '' },
    { role: 'system', content: 'Reminder: plan mode.' },
    { role: 'user', content: 'next' },
  ],
  tools: [{ type: 'function', function: { name: 'read', description: 'Read', parameters: { type: 'object', properties: { path: { type: 'string' } } }, strict: false } }],
  tool_choice: { type: 'function', function: { name: 'read' } },
  parallel_tool_calls: false,
  max_completion_tokens: 4096,
  temperature: 0.2,
  top_p: 0.95,
  stop: '###',
  stream: true,
  stream_options: { include_usage: true },
  reasoning_effort: 'high',
  user: 'u-1',
  frequency_penalty: 0,
  seed: 42,
};

test('an OpenCode-style body decodes to the IR', () => {
  const ir = openaiCodec.decodeRequest(OPENCODE_BODY);
  assert.deepEqual(ir.system, [{ type: 'text', text: 'You are opencode.' }, { type: 'text', text: 'Be brief.' }]);
  assert.deepEqual(ir.messages, [
    { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } }] },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should read both.' },
        { type: 'tool_use', id: 'call_1', name: 'read', input: { path: 'a' } },
        { type: 'tool_use', id: 'call_2', name: 'read', input: { __patchbay_invalid_arguments: '{"path":' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', toolUseId: 'call_1', content: [{ type: 'text', text: 'A' }], isError: false },
        { type: 'tool_result', toolUseId: 'call_2', content: [{ type: 'text', text: '(no output)' }], isError: false },
      ],
    },
    { role: 'system', content: [{ type: 'text', text: 'Reminder: plan mode.' }] },
    { role: 'user', content: [{ type: 'text', text: 'next' }] },
  ]);
  assert.deepEqual(ir.tools, [{ name: 'read', description: 'Read', inputSchema: { type: 'object', properties: { path: { type: 'string' } } }, strict: false }]);
  assert.deepEqual(ir.toolChoice, { type: 'tool', name: 'read' });
  assert.equal(ir.parallelToolCalls, false);
  assert.equal(ir.maxTokens, 4096);
  assert.equal(ir.temperature, 0.2);
  assert.equal(ir.topP, 0.95);
  assert.deepEqual(ir.stopSequences, ['###']);
  assert.equal(ir.stream, true);
  assert.deepEqual(ir.thinking, { mode: 'enabled', effort: 'high' });
  assert.equal(ir.userId, 'u-1');
  assert.equal(wantsStreamUsage(OPENCODE_BODY), true);
  assert.equal(wantsStreamUsage({ ...OPENCODE_BODY, stream_options: undefined }), false);
});

test('max_tokens and "required" are read; an Aider-style minimal body decodes', () => {
  const ir = openaiCodec.decodeRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10, tool_choice: 'required', stop: ['a', 'b'] });
  assert.equal(ir.maxTokens, 10);
  assert.deepEqual(ir.toolChoice, { type: 'any' });
  assert.deepEqual(ir.stopSequences, ['a', 'b']);
  assert.equal(ir.stream, false);
  assert.deepEqual(ir.system, []);
});

function refusal(body: unknown): { message: string; param?: string } {
  try {
    openaiCodec.decodeRequest(body);
  } catch (err) {
    assert.ok(err instanceof ApiErrorException);
    assert.equal(err.apiError.kind, 'invalid_request');
    assert.equal(err.apiError.status, 400);
    return { message: err.apiError.message, ...(err.apiError.param ? { param: err.apiError.param } : {}) };
  }
  assert.fail('expected the request to be refused');
}

test('fields whose meaning cannot be kept are refused, naming the field', () => {
  const base = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
  assert.match(refusal({ ...base, n: 2 }).message, /\bn\b/);
  assert.match(refusal({ ...base, logprobs: true }).message, /logprobs/);
  assert.match(refusal({ ...base, response_format: { type: 'json_schema', json_schema: {} } }).message, /response_format/);
  assert.match(refusal({ model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] }).message, /messages\[0\]\.content\[0\].*audio/);
  assert.match(refusal({ ...base, tools: [{ type: 'web_search' }] }).message, /tools\[0\]/);
  assert.match(refusal({ model: 'm', messages: [] }).message, /messages/);
  assert.match(refusal({ messages: [{ role: 'user', content: 'x' }] }).message, /model/);
  assert.match(refusal({ model: 'm', messages: [{ role: 'tool', content: 'x' }] }).message, /tool_call_id/);
});

test('round trip: IR -> encodeRequest -> decodeRequest keeps the conversation', () => {
  const ir = openaiCodec.decodeRequest(OPENCODE_BODY);
  const ctx = { toolNames: ToolNameMap.fromTools(ir.tools), requestedModel: 'kimi-k2.6' };
  const wire = openaiCodec.encodeRequest(ir, { model: 'kimi-k2.6', echoReasoning: true, noForcedToolChoice: true }, ctx);
  const again = openaiCodec.decodeRequest(wire);
  assert.deepEqual(again.messages, ir.messages);
  assert.deepEqual(again.tools, ir.tools);
  assert.deepEqual(again.toolChoice, { type: 'auto' }, 'Kimi with thinking on refuses a named tool_choice: it becomes auto');
  const generic = openaiCodec.decodeRequest(openaiCodec.encodeRequest(ir, { model: 'gpt-x' }, ctx));
  assert.deepEqual(generic.toolChoice, ir.toolChoice, 'other backends keep the named tool_choice');
  assert.deepEqual(again.system, [{ type: 'text', text: 'You are opencode.\n\nBe brief.' }]);
});
