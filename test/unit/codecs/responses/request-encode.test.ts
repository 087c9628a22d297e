/**
 * IR -> a Responses backend's request: stateless (store false, whole history), system prompt as
 * instructions, mid-conversation system turns as developer messages, function tools with an
 * explicit strict, tool results as function_call_output, reasoning echoed only when asked,
 * max tokens clamped, text.format written; stop sequences refused (no such field).
 */
import { openaiCodec } from '../../../../app/codecs/openai';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { responsesCodec } from '../../../../app/codecs/responses/index';
import { outputFormatRefusal } from '../../../../app/codecs/responses/index';
import type { ChatRequest } from '../../../../app/ir/conversation';
import { ApiErrorException } from '../../../../app/ir/errors';
import { ToolNameMap } from '../../../../app/translate/tool-names';

function request(extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'claude-sonnet-4-5',
    system: [
      { type: 'text', text: 'one' },
      { type: 'text', text: 'two' },
    ],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAA' } }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'plan', signature: 's' },
          { type: 'text', text: 'ok' },
          { type: 'tool_use', id: 'toolu_1', name: 'multi_agent_v1.wait_agent', input: { ids: ['a'] } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', toolUseId: 'toolu_1', content: [{ type: 'text', text: 'done' }], isError: true }] },
      { role: 'system', content: [{ type: 'text', text: 'mid' }] },
    ],
    tools: [{ name: 'multi_agent_v1.wait_agent', inputSchema: { type: 'object' } }],
    toolChoice: { type: 'any' },
    maxTokens: 50_000,
    stream: true,
    ...extra,
  };
}

const ctx = (r: ChatRequest) => ({ toolNames: ToolNameMap.fromTools(r.tools), requestedModel: r.model });

test('the body: instructions, input items in order, tools with strict false, store false, clamp, stream', () => {
  const r = request();
  const body = responsesCodec.encodeRequest(r, { model: 'gpt-5', maxOutputTokens: 32_000 }, ctx(r));
  const wire = ctx(r).toolNames.wire('multi_agent_v1.wait_agent');
  assert.deepEqual(body, {
    model: 'gpt-5',
    store: false,
    instructions: 'one\n\ntwo',
    input: [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }, { type: 'input_image', image_url: 'data:image/png;base64,AAA', detail: 'auto' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] },
      { type: 'function_call', call_id: 'toolu_1', name: wire, arguments: '{"ids":["a"]}' },
      { type: 'function_call_output', call_id: 'toolu_1', output: '[tool error] done' },
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'mid' }] },
    ],
    tools: [{ type: 'function', name: wire, parameters: { type: 'object' }, strict: false }],
    tool_choice: 'required',
    max_output_tokens: 32_000,
    stream: true,
  });
});

test('reasoning is echoed only for a backend that wants it; a forced choice becomes auto when refused', () => {
  const r = request();
  const body = responsesCodec.encodeRequest(r, { model: 'm', echoReasoning: true, noForcedToolChoice: true }, ctx(r)) as { input: Array<Record<string, unknown>>; tool_choice: unknown };
  assert.deepEqual(body.input[1], { type: 'reasoning', summary: [{ type: 'summary_text', text: 'plan' }] });
  assert.equal(body.tool_choice, 'auto');
});

test('effort, sampling (unless fixed), output format', () => {
  const r = request({
    thinking: { mode: 'enabled', effort: 'max' },
    temperature: 0.3,
    outputFormat: { type: 'json_schema', name: 'title', schema: { type: 'object' }, strict: true },
  });
  const body = responsesCodec.encodeRequest(r, { model: 'm' }, ctx(r));
  assert.deepEqual(body.reasoning, { effort: 'xhigh' });
  assert.equal(body.temperature, 0.3);
  assert.deepEqual(body.text, { format: { type: 'json_schema', name: 'title', schema: { type: 'object' }, strict: true } });
  assert.equal(responsesCodec.encodeRequest(r, { model: 'm', fixedSampling: true }, ctx(r)).temperature, undefined);
});

test('stop sequences have no Responses field: a clear 400', () => {
  const r = request({ stopSequences: ['END'] });
  assert.throws(
    () => responsesCodec.encodeRequest(r, { model: 'm' }, ctx(r)),
    (error: unknown) => error instanceof ApiErrorException && error.apiError.status === 400 && /stop sequences/.test(error.apiError.message),
  );
});

test('outputFormatRefusal: a 400 for backends that cannot enforce a JSON schema, nothing otherwise', () => {
  const r = request({ outputFormat: { type: 'json_schema', name: 'title', schema: {} } });
  assert.equal(outputFormatRefusal(r, 'responses'), undefined);
  assert.equal(outputFormatRefusal(request(), 'openai'), undefined);
  const refused = outputFormatRefusal(r, 'anthropic');
  assert.equal(refused?.status, 400);
  assert.match(refused?.message ?? '', /text.format json_schema \("title"\) cannot be enforced/);
  assert.equal(outputFormatRefusal(r, 'anthropic')?.param, 'text.format');
  assert.equal(outputFormatRefusal(r, 'openai'), undefined, 'Chat Completions enforces it with response_format');
});

test('a JSON-schema output format reaches a Chat backend as response_format json_schema', () => {
  const r = request({ outputFormat: { type: 'json_schema', name: 'title', schema: { type: 'object' }, strict: true } });
  const body = openaiCodec.encodeRequest(r, { model: 'm' }, ctx(r));
  assert.deepEqual(body.response_format, { type: 'json_schema', json_schema: { name: 'title', schema: { type: 'object' }, strict: true } });
});

test('a user id over 64 characters (Claude Code metadata.user_id) is sent as its SHA-256 in safety_identifier', () => {
  const long = request({ userId: 'u'.repeat(150) });
  const short = request({ userId: 'user-1' });
  const longId = responsesCodec.encodeRequest(long, { model: 'm' }, ctx(long)).safety_identifier as string;
  assert.match(longId, /^[0-9a-f]{64}$/);
  assert.equal(responsesCodec.encodeRequest(short, { model: 'm' }, ctx(short)).safety_identifier, 'user-1');
});
