import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicCodec } from '../../../../app/codecs/anthropic/index';
import { thinkingJson } from '../../../../app/codecs/anthropic/request-encode';
import type { BackendTarget, TranslationContext } from '../../../../app/codecs/codec';
import type { ChatRequest } from '../../../../app/ir/conversation';
import { ToolNameMap } from '../../../../app/translate/tool-names';

const ctx = (names: string[] = []): TranslationContext => ({ toolNames: new ToolNameMap(names), requestedModel: 'gpt-x' });
const target: BackendTarget = { model: 'kimi-k2.6', maxOutputTokens: 16000 };

function request(extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'client-model', system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [], stream: true, ...extra };
}

test('model, max_tokens clamp and default, stream, system', () => {
  const body = anthropicCodec.encodeRequest(request({ maxTokens: 32000, system: [{ type: 'text', text: 'sys', cache: { type: 'ephemeral' } }] }), target, ctx());
  assert.equal(body.model, 'kimi-k2.6');
  assert.equal(body.max_tokens, 16000);
  assert.equal(body.stream, true);
  assert.deepEqual(body.system, [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }]);
  assert.equal(anthropicCodec.encodeRequest(request({ maxTokens: 100 }), target, ctx()).max_tokens, 100);
  assert.equal(anthropicCodec.encodeRequest(request(), target, ctx()).max_tokens, 16000);
  const noLimit = anthropicCodec.encodeRequest(request(), { model: 'k' }, ctx());
  assert.equal(noLimit.max_tokens, 8192);
  assert.equal(noLimit.system, undefined);
  assert.equal(noLimit.tools, undefined);
});

test('tool ids are made legal, same-role turns merge, tool results come first, system messages fold into user turns', () => {
  const body = anthropicCodec.encodeRequest(
    request({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'write it' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: '' },
            { type: 'tool_use', id: 'functions.Write:0', name: 'Write', input: { path: 'a' } },
          ],
        },
        { role: 'system', content: [{ type: 'text', text: 'Agents: general-purpose' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'and then?' },
            { type: 'tool_result', toolUseId: 'functions.Write:0', content: [{ type: 'text', text: 'ok' }], isError: true },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'second user turn' }] },
      ],
    }),
    target,
    ctx(['Write']),
  );
  assert.deepEqual(body.messages, [
    { role: 'user', content: [{ type: 'text', text: 'write it' }] },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'pbx_functions_2eWrite_3a0', name: 'Write', input: { path: 'a' } }] },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'pbx_functions_2eWrite_3a0', content: [{ type: 'text', text: 'ok' }], is_error: true },
        { type: 'text', text: '<system-reminder>\nAgents: general-purpose\n</system-reminder>' },
        { type: 'text', text: 'and then?' },
        { type: 'text', text: 'second user turn' },
      ],
    },
  ]);
});

test('a trailing system message becomes its own user turn after an assistant turn', () => {
  const body = anthropicCodec.encodeRequest(
    request({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'a' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'b' }] },
        { role: 'system', content: [{ type: 'text', text: 'note' }] },
      ],
    }),
    target,
    ctx(),
  );
  const messages = body.messages as Array<{ role: string; content: unknown[] }>;
  assert.equal(messages.length, 3);
  assert.deepEqual(messages[2], { role: 'user', content: [{ type: 'text', text: '<system-reminder>\nnote\n</system-reminder>' }] });
});

test('images, documents, signed and unsigned thinking', () => {
  const messages: ChatRequest['messages'] = [
    {
      role: 'user',
      content: [
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
        { type: 'document', source: { kind: 'text', mediaType: 'text/plain', data: 'doc' }, title: 't' },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'signed', signature: 'sig' },
        { type: 'thinking', thinking: 'unsigned' },
        { type: 'redacted_thinking', data: 'xx' },
        { type: 'text', text: 'answer' },
      ],
    },
  ];
  const plain = anthropicCodec.encodeRequest(request({ messages }), target, ctx());
  const [user, assistant] = plain.messages as Array<{ content: unknown[] }>;
  assert.deepEqual(user?.content, [
    { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
    { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'doc' }, title: 't' },
  ]);
  assert.deepEqual(assistant?.content, [
    { type: 'thinking', thinking: 'signed', signature: 'sig' },
    { type: 'redacted_thinking', data: 'xx' },
    { type: 'text', text: 'answer' },
  ]);
  const kimi = anthropicCodec.encodeRequest(request({ messages }), { ...target, echoReasoning: true }, ctx());
  const kimiAssistant = (kimi.messages as Array<{ content: unknown[] }>)[1];
  assert.deepEqual(kimiAssistant?.content[1], { type: 'thinking', thinking: 'unsigned', signature: '' });
});

test('tools, tool_choice and parallel tool use', () => {
  const tools = [{ name: 'Bash', description: 'run', inputSchema: { type: 'object' }, cache: { type: 'ephemeral' as const } }];
  const body = anthropicCodec.encodeRequest(request({ tools, toolChoice: { type: 'tool', name: 'Bash' }, parallelToolCalls: false }), target, ctx(['Bash']));
  assert.deepEqual(body.tools, [{ name: 'Bash', description: 'run', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }]);
  assert.deepEqual(body.tool_choice, { type: 'tool', name: 'Bash', disable_parallel_tool_use: true });
  assert.deepEqual(anthropicCodec.encodeRequest(request({ tools, parallelToolCalls: false }), target, ctx()).tool_choice, {
    type: 'auto',
    disable_parallel_tool_use: true,
  });
  assert.deepEqual(anthropicCodec.encodeRequest(request({ tools, toolChoice: { type: 'none' } }), target, ctx()).tool_choice, { type: 'none' });
  assert.equal(anthropicCodec.encodeRequest(request({ tools }), target, ctx()).tool_choice, undefined);
  const long = 'mcp__a_very_long_server_name__with_an_even_longer_tool_name_that_overflows';
  const named = anthropicCodec.encodeRequest(request({ tools: [{ name: long, inputSchema: {} }] }), target, ctx([long]));
  const wire = (named.tools as Array<{ name: string }>)[0]!.name;
  assert.ok(wire.length <= 64, wire);
});

test('thinking: adaptive becomes enabled with a budget below max_tokens; sampling kept unless fixed', () => {
  const adaptive = anthropicCodec.encodeRequest(request({ maxTokens: 32000, thinking: { mode: 'adaptive', effort: 'high' } }), { model: 'k' }, ctx());
  assert.deepEqual(adaptive.thinking, { type: 'enabled', budget_tokens: 16384 });
  const small = anthropicCodec.encodeRequest(request({ maxTokens: 4096, thinking: { mode: 'adaptive' } }), { model: 'k' }, ctx());
  assert.deepEqual(small.thinking, { type: 'enabled', budget_tokens: 3072 });
  assert.equal(thinkingJson({ mode: 'adaptive' }, 1500), undefined);
  assert.deepEqual(thinkingJson({ mode: 'enabled', budgetTokens: 50000 }, 8192), { type: 'enabled', budget_tokens: 8191 });
  assert.deepEqual(thinkingJson({ mode: 'enabled', budgetTokens: 10 }, 8192), { type: 'enabled', budget_tokens: 1024 });
  assert.deepEqual(thinkingJson({ mode: 'disabled' }, 8192), { type: 'disabled' });
  assert.equal(thinkingJson(undefined, 8192), undefined);

  const sampled = request({ temperature: 1.5, topP: 0.9, topK: 20, stopSequences: ['STOP'], userId: 'u1' });
  const free = anthropicCodec.encodeRequest(sampled, target, ctx());
  assert.equal(free.temperature, 1);
  assert.equal(free.top_p, 0.9);
  assert.equal(free.top_k, 20);
  assert.deepEqual(free.stop_sequences, ['STOP']);
  assert.deepEqual(free.metadata, { user_id: 'u1' });
  const fixed = anthropicCodec.encodeRequest(sampled, { ...target, fixedSampling: true }, ctx());
  assert.equal(fixed.temperature, undefined);
  assert.equal(fixed.top_p, undefined);
  assert.equal(fixed.top_k, undefined);
});

test('a Claude Code request survives decode -> encode with its ids, tools and mid-conversation system message', async () => {
  const { readFileSync } = await import('node:fs');
  const raw = JSON.parse(readFileSync(new URL('../../../fixtures/anthropic/claude-code-request.json', import.meta.url), 'utf8'));
  const ir = anthropicCodec.decodeRequest(raw);
  const body = anthropicCodec.encodeRequest(ir, target, ctx(ir.tools.map((t) => t.name)));
  const text = JSON.stringify(body);
  assert.ok(!text.includes('x-anthropic-billing-header'));
  assert.ok(text.includes('pbx_functions_2eRead_3a1'));
  assert.ok(text.includes('<system-reminder>\\nAvailable agent types'));
  const roles = (body.messages as Array<{ role: string }>).map((m) => m.role);
  for (let i = 1; i < roles.length; i++) assert.notEqual(roles[i], roles[i - 1]);
});
