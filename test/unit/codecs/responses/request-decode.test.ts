/**
 * Responses client requests -> IR: the Codex-shaped fixture (developer prompt first, namespace
 * tool, web_search, echoed reasoning/message/function_call/function_call_output items) and each
 * input rule of issue 7 on its own; the flattened namespace names survive a Chat and an
 * Anthropic backend encode and come back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { anthropicCodec } from '../../../../app/codecs/anthropic/index';
import { openaiCodec } from '../../../../app/codecs/openai/index';
import { leftOutToolsOf, responsesCodec } from '../../../../app/codecs/responses/index';
import { ApiErrorException } from '../../../../app/ir/errors';
import { ToolNameMap } from '../../../../app/translate/tool-names';

const codex = JSON.parse(readFileSync(new URL('../../../fixtures/responses/codex-request.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const decode = (body: unknown) => responsesCodec.decodeRequest(body);
const base = { model: 'm' };

function refusal(body: unknown): { message: string; param?: string } {
  try {
    decode(body);
  } catch (error) {
    assert.ok(error instanceof ApiErrorException);
    assert.equal(error.apiError.status, 400);
    return { message: error.apiError.message, ...(error.apiError.param ? { param: error.apiError.param } : {}) };
  }
  assert.fail('expected a 400');
}

test('the Codex request decodes: developer prompts become the system prompt in order', () => {
  const ir = decode(codex);
  assert.equal(ir.system.length, 2);
  assert.match(ir.system[0]!.text, /^You are Codex/);
  assert.match(ir.system[1]!.text, /skills_instructions/);
  assert.equal(ir.stream, true);
  assert.deepEqual(ir.toolChoice, { type: 'auto' });
  assert.equal(ir.parallelToolCalls, true);
  assert.deepEqual(ir.thinking, { mode: 'enabled', effort: 'medium' });
});

test('the Codex request: echoed items make one assistant turn and one turn of results tied by call_id', () => {
  const ir = decode(codex);
  assert.deepEqual(
    ir.messages.map((m) => [m.role, m.content.map((b) => b.type).join(',')]),
    [
      ['user', 'text'],
      ['user', 'text'],
      ['assistant', 'thinking,text,tool_use,tool_use'],
      ['user', 'tool_result,tool_result'],
      ['user', 'text,image'],
    ],
  );
  const assistant = ir.messages[2]!.content;
  // raw reasoning_text wins over the summary; OpenAI's encrypted_content is dropped
  assert.deepEqual(assistant[0], { type: 'thinking', thinking: 'The user wants hello.txt. Use exec_command with printf.' });
  assert.deepEqual(assistant[2], { type: 'tool_use', id: 'call_exec_1', name: 'exec_command', input: { cmd: 'printf hi > hello.txt', workdir: '/tmp/work' } });
  assert.deepEqual(assistant[3], { type: 'tool_use', id: 'call_wait_2', name: 'multi_agent_v1.wait_agent', input: { targets: ['ag1'], timeout_ms: 10000 } });
  const results = ir.messages[3]!.content;
  assert.deepEqual(results.map((r) => (r.type === 'tool_result' ? r.toolUseId : '')), ['call_exec_1', 'call_wait_2']);
  assert.deepEqual(ir.messages[4]!.content[1], { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } });
  assert.ok(!JSON.stringify(ir).includes('gAAAAAB'), 'encrypted_content never reaches the IR');
});

test('the Codex request: functions and namespace tools flattened; web_search left out and reported', () => {
  const ir = decode(codex);
  assert.deepEqual(
    ir.tools.map((t) => t.name),
    ['exec_command', 'write_stdin', 'multi_agent_v1.spawn_agent', 'multi_agent_v1.wait_agent'],
  );
  assert.equal(ir.tools[0]!.strict, false);
  assert.deepEqual(leftOutToolsOf(codex), ['web_search']);
  assert.deepEqual(leftOutToolsOf({ tools: [{ type: 'namespace', name: 'ns', tools: [{ type: 'custom' }] }, { type: 'function' }] }), ['ns/custom']);
  assert.deepEqual(leftOutToolsOf({}), []);
});

test('flattened names go to a Chat and an Anthropic backend legal, within 64 characters, and come back', () => {
  const ir = decode(codex);
  const ctx = { toolNames: ToolNameMap.fromTools(ir.tools), requestedModel: 'kimi-k2.6' };
  const target = { model: 'moonshotai/kimi-k2.6' };
  const chat = openaiCodec.encodeRequest(ir, target, ctx) as { tools: Array<{ function: { name: string } }> };
  const anthropic = anthropicCodec.encodeRequest(ir, target, ctx) as { tools: Array<{ name: string }> };
  const chatNames = chat.tools.map((t) => t.function.name);
  assert.deepEqual(chatNames, anthropic.tools.map((t) => t.name));
  for (const name of chatNames) {
    assert.match(name, /^[a-zA-Z0-9_-]{1,64}$/);
    assert.ok(ir.tools.some((t) => t.name === ctx.toolNames.original(name)));
  }
  const wait = chatNames[3]!;
  assert.match(wait, /^multi_agent_v1_wait_agent_[0-9a-f]{8}$/);
  assert.equal(ctx.toolNames.original(wait), 'multi_agent_v1.wait_agent');
  // the echoed namespaced call in the history carries the same wire name
  assert.ok(JSON.stringify(chat).includes(`"name":"${wait}"`));
});

test('instructions come first, later developer/system messages stay in place as system messages', () => {
  const ir = decode({
    ...base,
    instructions: 'be brief',
    input: [
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'hi' },
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'mid' }] },
      { role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] },
    ],
  });
  assert.deepEqual(ir.system, [{ type: 'text', text: 'be brief' }, { type: 'text', text: 'sys' }]);
  assert.deepEqual(
    ir.messages.map((m) => m.role),
    ['user', 'system', 'assistant'],
  );
  assert.deepEqual(ir.messages[1]!.content, [{ type: 'text', text: 'mid' }]);
});

test('a string input is one user message; empty tool output gets the no-output marker', () => {
  assert.deepEqual(decode({ ...base, input: 'hello' }).messages, [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }]);
  const ir = decode({
    ...base,
    input: [
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '' },
      { type: 'function_call_output', call_id: 'c1', output: '' },
    ],
  });
  assert.deepEqual(ir.messages[1]!.content, [{ type: 'tool_result', toolUseId: 'c1', content: [{ type: 'text', text: '(no output)' }], isError: false }]);
  assert.deepEqual(ir.messages[0]!.content, [{ type: 'tool_use', id: 'c1', name: 'f', input: {} }]);
});

test('reasoning: summary used when there is no raw text; an item with nothing readable adds nothing', () => {
  const ir = decode({
    ...base,
    input: [
      { role: 'user', content: 'q' },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'one' }, { type: 'summary_text', text: 'two' }] },
      { type: 'reasoning', id: 'rs_2', summary: [], encrypted_content: 'opaque' },
      { role: 'assistant', content: [{ type: 'output_text', text: 'a' }] },
    ],
  });
  assert.deepEqual(ir.messages[1]!.content, [
    { type: 'thinking', thinking: 'one\n\ntwo' },
    { type: 'text', text: 'a' },
  ]);
});

test('max_output_tokens, temperature, top_p, tool_choice (function, namespaced), text.format json_schema', () => {
  const ir = decode({
    ...base,
    input: 'x',
    max_output_tokens: 999,
    temperature: 0.2,
    top_p: 0.9,
    parallel_tool_calls: false,
    tools: [{ type: 'namespace', name: 'ns', tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }] }],
    tool_choice: { type: 'function', name: 'f', namespace: 'ns' },
    text: { format: { type: 'json_schema', name: 'title', strict: true, schema: { type: 'object', properties: { title: { type: 'string' } } } } },
  });
  assert.equal(ir.maxTokens, 999);
  assert.equal(ir.temperature, 0.2);
  assert.equal(ir.topP, 0.9);
  assert.equal(ir.parallelToolCalls, false);
  assert.deepEqual(ir.toolChoice, { type: 'tool', name: 'ns.f' });
  assert.deepEqual(ir.outputFormat, { type: 'json_schema', name: 'title', strict: true, schema: { type: 'object', properties: { title: { type: 'string' } } } });
  assert.equal(decode({ ...base, input: 'x', tool_choice: 'required' }).toolChoice?.type, 'any');
  assert.equal(decode({ ...base, input: 'x', text: { format: { type: 'text' } } }).outputFormat, undefined);
});

test('clear 400s naming the item: unknown item, orphan output, file_id image, bad effort', () => {
  assert.match(refusal({ ...base, input: [{ type: 'item_reference', id: 'x' }] }).message, /input\[0\]: input item type "item_reference"/);
  const orphan = refusal({ ...base, input: [{ type: 'function_call_output', call_id: 'nope', output: 'x' }] });
  assert.match(orphan.message, /call_id "nope" has no function_call/);
  assert.equal(orphan.param, 'input[0].call_id');
  assert.match(refusal({ ...base, input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }] }).message, /input\[0\]\.content\[0\]: input_image by file_id/);
  assert.match(refusal({ ...base, input: 'x', reasoning: { effort: 'extreme' } }).message, /reasoning.effort "extreme"/);
  assert.match(refusal({ ...base, input: [{ type: 'function_call', call_id: 'c', name: 'f' }] }).message, /input\[0\].*arguments/);
  assert.match(refusal({ model: 'm' }).message, /input/);
});
