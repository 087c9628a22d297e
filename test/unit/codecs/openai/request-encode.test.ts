import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openaiCodec } from '../../../../app/codecs/openai/index';
import type { ChatRequest } from '../../../../app/ir/conversation';
import { ToolNameMap } from '../../../../app/translate/tool-names';
import { toAnthropicToolId } from '../../../../app/translate/tool-ids';

const LONG = 'mcp__very_long_server_name_for_testing__and_an_even_longer_tool_name_here';
const KIMI_ID = 'functions.Write:0';

function conversation(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: 'claude-sonnet-4-5',
    system: [
      { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197' },
      { type: 'text', text: 'You are Claude Code.', cache: { type: 'ephemeral' } },
    ],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Write a.txt and show me the screenshot' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Need to write the file.', signature: 'sig' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'text', text: 'Writing it.' },
          { type: 'tool_use', id: toAnthropicToolId(KIMI_ID), name: 'Write', input: { file_path: 'a.txt', content: 'hi' } },
          { type: 'tool_use', id: 'toolu_02', name: LONG, input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', toolUseId: toAnthropicToolId(KIMI_ID), content: [{ type: 'text', text: 'permission denied' }], isError: true },
          {
            type: 'tool_result',
            toolUseId: 'toolu_02',
            content: [
              { type: 'text', text: 'screenshot taken' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            ],
            isError: false,
          },
          { type: 'text', text: 'Try again please.' },
        ],
      },
      { role: 'system', content: [{ type: 'text', text: 'Available agent types: general-purpose' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_03', name: 'Write', input: { file_path: 'a.txt' } }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', toolUseId: 'toolu_03', content: [], isError: false },
          { type: 'document', source: { kind: 'text', mediaType: 'text/plain', data: 'notes' }, title: 'notes.txt' },
          { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, title: 'spec.pdf' },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/x.png' } },
        ],
      },
    ],
    tools: [
      { name: 'Write', description: 'Write a file', inputSchema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] }, cache: { type: 'ephemeral' } },
      { name: LONG, inputSchema: { type: 'object', properties: {} }, strict: true },
    ],
    toolChoice: { type: 'tool', name: LONG },
    parallelToolCalls: false,
    maxTokens: 32000,
    temperature: 0.7,
    topP: 0.9,
    topK: 40,
    stopSequences: ['</done>'],
    stream: true,
    ...overrides,
  };
}

const ctx = () => ({ toolNames: ToolNameMap.fromTools(conversation().tools), requestedModel: 'claude-sonnet-4-5' });
const TARGET = { model: 'moonshotai/kimi-k2.6', maxOutputTokens: 16384, echoReasoning: true, noForcedToolChoice: true };

test('a realistic Claude Code conversation encodes field by field', () => {
  const c = ctx();
  const wireLong = c.toolNames.wire(LONG);
  assert.ok(wireLong.length <= 64 && wireLong !== LONG);
  const body = openaiCodec.encodeRequest(conversation(), TARGET, c);
  assert.equal(body.model, 'moonshotai/kimi-k2.6');
  const messages = body.messages as Array<Record<string, unknown>>;
  assert.deepEqual(messages[0], { role: 'system', content: 'x-anthropic-billing-header: cc_version=2.1.197\n\nYou are Claude Code.' });
  assert.deepEqual(messages[1], { role: 'user', content: 'Write a.txt and show me the screenshot' });
  assert.deepEqual(messages[2], {
    role: 'assistant',
    content: 'Writing it.',
    reasoning_content: 'Need to write the file.',
    tool_calls: [
      { id: KIMI_ID, type: 'function', function: { name: 'Write', arguments: '{"file_path":"a.txt","content":"hi"}' } },
      { id: 'toolu_02', type: 'function', function: { name: wireLong, arguments: '{}' } },
    ],
  });
  assert.deepEqual(messages[3], { role: 'tool', tool_call_id: KIMI_ID, content: '[tool error] permission denied' });
  assert.deepEqual(messages[4], {
    role: 'tool',
    tool_call_id: 'toolu_02',
    content: 'screenshot taken\n\n[1 image(s) from this tool result follow in the next user message]',
  });
  assert.deepEqual(messages[5], {
    role: 'user',
    content: [
      { type: 'text', text: 'Images from the result of tool call toolu_02:' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
    ],
  });
  assert.deepEqual(messages[6], { role: 'user', content: 'Try again please.' });
  assert.deepEqual(messages[7], { role: 'system', content: 'Available agent types: general-purpose' });
  assert.deepEqual(messages[8], {
    role: 'assistant',
    content: null,
    // This turn had no thinking; Kimi (thinking on) refuses tool-call turns without reasoning.
    reasoning_content: ' ',
    tool_calls: [{ id: 'toolu_03', type: 'function', function: { name: 'Write', arguments: '{"file_path":"a.txt"}' } }],
  });
  assert.deepEqual(messages[9], { role: 'tool', tool_call_id: 'toolu_03', content: '(no output)' });
  const last = messages[10] as { role: string; content: Array<Record<string, unknown>> };
  assert.equal(last.role, 'user');
  assert.deepEqual(last.content[0], { type: 'text', text: '[Document "notes.txt"]\nnotes' });
  assert.match(String(last.content[1]?.text), /spec\.pdf.*application\/pdf.*cannot read/);
  assert.deepEqual(last.content[2], { type: 'image_url', image_url: { url: 'https://example.com/x.png' } });
  assert.equal(messages.length, 11);

  assert.deepEqual(body.tools, [
    { type: 'function', function: { name: 'Write', description: 'Write a file', parameters: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } } },
    { type: 'function', function: { name: wireLong, parameters: { type: 'object', properties: {} }, strict: true } },
  ]);
  // Kimi with thinking on refuses a named tool_choice; any other backend gets the shortened name.
  assert.equal(body.tool_choice, 'auto');
  const generic = openaiCodec.encodeRequest(conversation(), { ...TARGET, echoReasoning: false, noForcedToolChoice: false }, c);
  assert.deepEqual(generic.tool_choice, { type: 'function', function: { name: wireLong } });
  assert.equal(body.parallel_tool_calls, false);
  assert.equal(body.max_tokens, 16384);
  assert.equal(body.temperature, 0.7);
  assert.equal(body.top_p, 0.9);
  assert.equal('top_k' in body, false);
  assert.deepEqual(body.stop, ['</done>']);
  assert.equal(body.stream, true);
  assert.deepEqual(body.stream_options, { include_usage: true });
  assert.ok(!JSON.stringify(body).includes('cache_control') && !JSON.stringify(body).includes('opaque'));
});

test('fixed sampling, no echo, no stream, other tool choices, max tokens filled in', () => {
  const body = openaiCodec.encodeRequest(
    conversation({ stream: false, maxTokens: undefined, toolChoice: { type: 'any' }, parallelToolCalls: true }),
    { model: 'm', fixedSampling: true, maxOutputTokens: 8000 },
    ctx(),
  );
  assert.equal('temperature' in body || 'top_p' in body, false);
  assert.equal('stream' in body || 'stream_options' in body, false);
  assert.equal(body.tool_choice, 'required');
  assert.equal('parallel_tool_calls' in body, false);
  assert.equal(body.max_tokens, 8000);
  const assistant = (body.messages as Array<Record<string, unknown>>)[2];
  assert.equal(assistant && 'reasoning_content' in assistant, false);
  for (const [choice, wire] of [[{ type: 'auto' }, 'auto'], [{ type: 'none' }, 'none']] as const) {
    assert.equal(openaiCodec.encodeRequest(conversation({ toolChoice: choice }), { model: 'm' }, ctx()).tool_choice, wire);
  }
});

test('without tools no tools or tool_choice are sent; a client max below the cap is kept', () => {
  const body = openaiCodec.encodeRequest(conversation({ tools: [], toolChoice: { type: 'auto' }, maxTokens: 100 }), { model: 'm', maxOutputTokens: 8000 }, ctx());
  assert.equal('tools' in body || 'tool_choice' in body, false);
  assert.equal(body.max_tokens, 100);
});

test('echoReasoning and noForcedToolChoice are separate facts of the target', () => {
  const c = ctx();
  const onlyChoice = openaiCodec.encodeRequest(conversation(), { model: 'm', noForcedToolChoice: true }, c);
  assert.equal(onlyChoice.tool_choice, 'auto');
  const plainTurn = (onlyChoice.messages as Array<Record<string, unknown>>)[8]!;
  assert.equal('reasoning_content' in plainTurn, false, 'no reasoning echoed without echoReasoning');
  const onlyEcho = openaiCodec.encodeRequest(conversation(), { model: 'm', echoReasoning: true }, c);
  assert.deepEqual(onlyEcho.tool_choice, { type: 'function', function: { name: c.toolNames.wire(LONG) } }, 'the forced choice stays');
  assert.equal((onlyEcho.messages as Array<Record<string, unknown>>)[8]!.reasoning_content, ' ');
});
