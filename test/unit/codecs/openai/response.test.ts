import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openaiCodec } from '../../../../app/codecs/openai/index';
import { ApiErrorException } from '../../../../app/ir/errors';
import { KIMI_TEXT_TOOL_CALLS } from '../../../../app/quirks/kimi';
import { ToolNameMap } from '../../../../app/translate/tool-names';

const LONG = 'mcp__very_long_server_name_for_testing__and_an_even_longer_tool_name_here';
const names = new ToolNameMap(['Write', LONG]);
const ctx = { toolNames: names, requestedModel: 'claude-sonnet-4-5' };

test('decodeResponse: reasoning first, then text, then tool calls; tool calls force tool_use', () => {
  const ir = openaiCodec.decodeResponse(
    {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'moonshotai/kimi-k2.6',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'On it.',
            reasoning_content: 'think',
            tool_calls: [
              { id: 'functions.Write:0', type: 'function', function: { name: 'Write', arguments: '{"file_path":"a"}' } },
              { id: 'functions.x:1', type: 'function', function: { name: names.wire(LONG), arguments: '{broken' } },
            ],
          },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, prompt_tokens_details: { cached_tokens: 64 } },
    },
    ctx,
  );
  assert.deepEqual(ir, {
    id: 'chatcmpl-1',
    model: 'moonshotai/kimi-k2.6',
    content: [
      { type: 'thinking', thinking: 'think' },
      { type: 'text', text: 'On it.' },
      { type: 'tool_use', id: 'functions.Write:0', name: 'Write', input: { file_path: 'a' } },
      { type: 'tool_use', id: 'functions.x:1', name: LONG, input: { __patchbay_invalid_arguments: '{broken' } },
    ],
    stopReason: 'tool_use',
    usage: { inputTokens: 36, outputTokens: 20, cacheReadTokens: 64 },
  });
});

test('decodeResponse: finish reasons, Moonshot top-level cached_tokens, no cache field', () => {
  const body = (finish: string, usage: Record<string, number>) => ({ id: 'x', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'a' }, finish_reason: finish }], usage });
  const cases: Array<[string, string]> = [['stop', 'end_turn'], ['length', 'max_tokens'], ['content_filter', 'refusal'], ['tool_calls', 'tool_use']];
  for (const [finish, stop] of cases) assert.equal(openaiCodec.decodeResponse(body(finish, { prompt_tokens: 1, completion_tokens: 1 }), ctx).stopReason, stop);
  assert.deepEqual(openaiCodec.decodeResponse(body('stop', { prompt_tokens: 50, completion_tokens: 5, cached_tokens: 20 }), ctx).usage, { inputTokens: 30, outputTokens: 5, cacheReadTokens: 20 });
  assert.deepEqual(openaiCodec.decodeResponse(body('stop', { prompt_tokens: 50, completion_tokens: 5 }), ctx).usage, { inputTokens: 50, outputTokens: 5 });
});

test("decodeResponse with ctx.textToolCalls = Kimi's syntax turns Kimi's text tool calls into tool_use", () => {
  const ir = openaiCodec.decodeResponse(
    {
      id: 'x',
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Ok.<|tool_calls_section_begin|><|tool_call_begin|>functions.Write:0<|tool_call_argument_begin|>{"file_path":"a.txt"}<|tool_call_end|><|tool_calls_section_end|>' },
          finish_reason: 'stop',
        },
      ],
    },
    { ...ctx, textToolCalls: KIMI_TEXT_TOOL_CALLS },
  );
  assert.deepEqual(ir.content, [
    { type: 'text', text: 'Ok.' },
    { type: 'tool_use', id: 'functions.Write:0', name: 'Write', input: { file_path: 'a.txt' } },
  ]);
  assert.equal(ir.stopReason, 'tool_use');
});

test('decodeResponse refuses a body without choices as an api_error', () => {
  assert.throws(() => openaiCodec.decodeResponse({ id: 'x', choices: [] }, ctx), (err: unknown) => err instanceof ApiErrorException && err.apiError.kind === 'api_error');
  assert.throws(() => openaiCodec.decodeResponse('nope', ctx), ApiErrorException);
});

test('encodeResponse: chat.completion with reasoning, content, tool calls, usage', () => {
  const body = openaiCodec.encodeResponse(
    {
      id: 'msg_01',
      model: 'kimi-k2.6',
      content: [
        { type: 'thinking', thinking: 'hm', signature: 's' },
        { type: 'redacted_thinking', data: 'zz' },
        { type: 'text', text: 'Here.' },
        { type: 'tool_use', id: 'toolu_1', name: 'Write', input: { a: 1 } },
      ],
      stopReason: 'tool_use',
      usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 90, cacheCreationTokens: 3 },
    },
    { toolNames: names, requestedModel: 'my-model' },
  );
  assert.match(String(body.id), /^chatcmpl-[0-9A-Za-z]{29}$/, 'a fresh id of its own, not derived from the upstream msg_01');
  assert.equal(body.object, 'chat.completion');
  assert.equal(body.model, 'my-model');
  assert.equal(typeof body.created, 'number');
  assert.deepEqual(body.choices, [
    {
      index: 0,
      message: { role: 'assistant', content: 'Here.', reasoning_content: 'hm', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'Write', arguments: '{"a":1}' } }] },
      finish_reason: 'tool_calls',
      logprobs: null,
    },
  ]);
  assert.deepEqual(body.usage, { prompt_tokens: 103, completion_tokens: 5, total_tokens: 108, prompt_tokens_details: { cached_tokens: 90 } });
});

test('encodeResponse: two responses with the same upstream id get different, well-shaped chatcmpl- ids', () => {
  const response = { id: 'chatcmpl-repeated', model: 'k', content: [{ type: 'text' as const, text: 'a' }], stopReason: 'end_turn' as const, usage: { inputTokens: 1, outputTokens: 1 } };
  const ids = [openaiCodec.encodeResponse(response, ctx).id, openaiCodec.encodeResponse(response, ctx).id, openaiCodec.encodeResponse({ ...response, id: '' }, ctx).id];
  for (const id of ids) assert.match(String(id), /^chatcmpl-[0-9A-Za-z]{29}$/);
  assert.notEqual(ids[0], 'chatcmpl-repeated');
  assert.equal(new Set(ids).size, 3);
});
