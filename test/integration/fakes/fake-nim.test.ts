import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFakeNim } from '../../fakes/fake-nim';
import type { FakeUpstream } from '../../fakes/scenario';
import { postJson, postRaw } from '../../helpers/http';
import { readSse, sseJson } from '../../helpers/sse';

const MODEL = 'moonshotai/kimi-k2.6';
const TRICKY = 'héllo "wörld" ✓ 😀\nback\\slash';
let nim: FakeUpstream;
let auth: Record<string, string>;
const chat = () => `${nim.url}/chat/completions`;

before(async () => {
  nim = await startFakeNim({ chunkSeed: 7 });
  auth = { authorization: `Bearer ${nim.key}` };
});
after(() => nim.close());

const user = (content: unknown) => ({ role: 'user', content });
// Kimi thinks by default, so every well-formed tool-call turn carries reasoning_content.
const callMsg = (id: string, args = '{"a":1}', extra: Record<string, unknown> = {}) => ({
  role: 'assistant',
  content: null,
  reasoning_content: 'r',
  tool_calls: [{ id, type: 'function', function: { name: 'Write', arguments: args } }],
  ...extra,
});
const toolMsg = (id: string, content: unknown = 'done') => ({ role: 'tool', tool_call_id: id, content });

test('default brain answers "ok" as a chat.completion', async () => {
  nim.setBrain(() => ({ steps: [{ type: 'text', text: 'ok' }] }));
  const r = await postJson(chat(), { model: MODEL, messages: [user('hi')] }, auth);
  assert.equal(r.status, 200);
  assert.equal(r.json.object, 'chat.completion');
  assert.equal(r.json.choices[0].message.content, 'ok');
  assert.equal(r.json.choices[0].finish_reason, 'stop');
  assert.equal(typeof r.json.usage.prompt_tokens, 'number');
});

test('missing or wrong key gets 401 with a NIM problem body', async () => {
  const missing = await postJson(chat(), { model: MODEL, messages: [user('hi')] });
  assert.equal(missing.status, 401);
  assert.equal(missing.json.status, 401);
  assert.equal(missing.json.title, 'Unauthorized');
  const wrong = await postJson(chat(), { model: MODEL, messages: [user('hi')] }, { authorization: 'Bearer nvapi-wrong' });
  assert.equal(wrong.status, 401);
  assert.equal(nim.requests.at(-1)?.rejected, 'wrong key');
});

test('a model NIM does not serve gets 404', async () => {
  const r = await postJson(chat(), { model: 'claude-sonnet-4-5', messages: [user('hi')] }, auth);
  assert.equal(r.status, 404);
  assert.equal(r.json.title, 'Not Found');
});

test('GET /v1/models lists the Kimi models', async () => {
  const res = await fetch(`${nim.url}/models`, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { data: Array<{ id: string }> };
  assert.deepEqual(body.data.map((m) => m.id).sort(), ['moonshotai/kimi-k2-instruct-0905', 'moonshotai/kimi-k2.5', 'moonshotai/kimi-k2.6']);
});

test('streams reasoning, a fragmented Kimi tool call, finish, usage chunk and [DONE]', async () => {
  const args = { file_path: '/tmp/x.txt', content: TRICKY };
  nim.setBrain(() => ({ steps: [{ type: 'reasoning', text: 'I will write the file.' }, { type: 'tool_call', name: 'Write', arguments: args }], usage: { input: 100, output: 20, cached: 30 } }));
  const res = await postRaw(chat(), { model: MODEL, messages: [user('write it')], stream: true, stream_options: { include_usage: true } }, auth);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const read = await readSse(res);
  assert.ok(read.complete);
  assert.equal(read.events.at(-1)?.data, '[DONE]');
  const chunks = sseJson(read) as Array<{ choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null }>; usage?: Record<string, unknown> }>;
  let reasoning = '';
  let argText = '';
  const fragments: string[] = [];
  const ids: string[] = [];
  for (const c of chunks) {
    const d = c.choices[0]?.delta;
    if (typeof d?.reasoning_content === 'string') reasoning += d.reasoning_content;
    for (const tc of (d?.tool_calls as Array<{ index: number; id?: string; function: { name?: string; arguments?: string } }> | undefined) ?? []) {
      assert.equal(tc.index, 0);
      if (tc.id) ids.push(tc.id);
      if (tc.function.arguments) {
        fragments.push(tc.function.arguments);
        argText += tc.function.arguments;
      }
    }
  }
  assert.equal(reasoning, 'I will write the file.');
  assert.deepEqual(ids, ['functions.Write:0']);
  assert.deepEqual(JSON.parse(argText), args);
  assert.ok(fragments.length > 5, 'arguments arrive in many fragments');
  assert.ok(fragments.some((f) => f.endsWith('\\')), 'some fragment ends inside an escape');
  const finishAt = chunks.findIndex((c) => c.choices[0]?.finish_reason === 'tool_calls');
  const usage = chunks.at(-1)!;
  assert.equal(finishAt, chunks.length - 2);
  assert.deepEqual(usage.choices, []);
  assert.deepEqual(usage.usage, { prompt_tokens: 130, completion_tokens: 20, total_tokens: 150, prompt_tokens_details: { cached_tokens: 30 } });
});

test('without include_usage there is no usage chunk', async () => {
  nim.setBrain(() => ({ steps: [{ type: 'text', text: 'plain' }] }));
  const read = await readSse(await postRaw(chat(), { model: MODEL, messages: [user('hi')], stream: true }, auth));
  const chunks = sseJson(read) as Array<{ choices: unknown[] }>;
  assert.ok(chunks.every((c) => c.choices.length === 1));
});

test('Kimi quirk: a tool-call turn from a reasoning reply must echo reasoning_content', async () => {
  nim.setBrain(() => ({ steps: [{ type: 'reasoning', text: 'think' }, { type: 'tool_call', name: 'Write', arguments: { a: 1 } }] }));
  const first = await postJson(chat(), { model: MODEL, messages: [user('go')] }, auth);
  const call = first.json.choices[0].message.tool_calls[0];
  assert.equal(first.json.choices[0].message.reasoning_content, 'think');
  nim.setBrain(() => ({ steps: [{ type: 'text', text: 'done' }] }));
  const bare = await postJson(chat(), { model: MODEL, messages: [user('go'), callMsg(call.id, call.function.arguments, { reasoning_content: undefined }), toolMsg(call.id)] }, auth);
  assert.equal(bare.status, 400);
  assert.match(bare.json.error.message, /reasoning_content is missing in assistant tool call message at index 1/);
  assert.match(nim.requests.at(-1)?.rejected ?? '', /reasoning_content/);
  const echoed = await postJson(chat(), { model: MODEL, messages: [user('go'), callMsg(call.id, call.function.arguments, { reasoning_content: 'think' }), toolMsg(call.id)] }, auth);
  assert.equal(echoed.status, 200);
  assert.equal(echoed.json.choices[0].message.content, 'done');
});

test('Kimi quirk: with thinking on (the default) any tool-call turn without reasoning_content is refused, whoever made it', async () => {
  nim.setBrain(() => ({ steps: [{ type: 'text', text: 'done' }] }));
  const foreign = [user('go'), callMsg('toolu_01abc', '{}', { reasoning_content: undefined }), toolMsg('toolu_01abc')];
  const refused = await postJson(chat(), { model: MODEL, messages: foreign }, auth);
  assert.equal(refused.status, 400);
  assert.match(refused.json.error.message, /thinking is enabled but reasoning_content is missing in assistant tool call message at index 1/);
  const off = await postJson(chat(), { model: MODEL, messages: foreign, chat_template_kwargs: { thinking: false } }, auth);
  assert.equal(off.status, 200, off.text);
});

test('Kimi quirk: with thinking on, tool_choice required or named is refused', async () => {
  nim.setBrain(() => ({ steps: [{ type: 'text', text: 'done' }] }));
  const tools = [{ type: 'function', function: { name: 'Write', parameters: { type: 'object' } } }];
  for (const tool_choice of ['required', { type: 'function', function: { name: 'Write' } }]) {
    const r = await postJson(chat(), { model: MODEL, messages: [user('go')], tools, tool_choice }, auth);
    assert.equal(r.status, 400, JSON.stringify(tool_choice));
    assert.match(r.json.error.message, /incompatible with thinking/);
  }
  assert.equal((await postJson(chat(), { model: MODEL, messages: [user('go')], tools, tool_choice: 'auto' }, auth)).status, 200);
});

test('Kimi ids count the tool calls already in the conversation', async () => {
  nim.setBrain(() => ({ steps: [{ type: 'tool_call', name: 'Read', arguments: {} }] }));
  const r = await postJson(chat(), { model: MODEL, messages: [user('go'), callMsg('functions.Write:0', '{"b":2}'), toolMsg('functions.Write:0')] }, auth);
  assert.equal(r.status, 200);
  assert.equal(r.json.choices[0].message.tool_calls[0].id, 'functions.Read:1');
});

test('kimi_text_tool_call arrives as Kimi native syntax in the content', async () => {
  nim.setBrain(() => ({ steps: [{ type: 'kimi_text_tool_call', name: 'Bash', arguments: { command: 'ls' } }] }));
  const r = await postJson(chat(), { model: MODEL, messages: [user('go')] }, auth);
  assert.equal(r.json.choices[0].message.content, '<|tool_calls_section_begin|><|tool_call_begin|>functions.Bash:0<|tool_call_argument_begin|>{"command":"ls"}<|tool_call_end|><|tool_calls_section_end|>');
  assert.equal(r.json.choices[0].finish_reason, 'stop');
});

const invalid: Array<[string, unknown[], RegExp, Record<string, unknown>?]> = [
  ['unknown role', [{ role: 'robot', content: 'x' }], /role/],
  ['empty user content', [user('')], /must not be empty/],
  ['arguments as an object', [user('go'), { role: 'assistant', content: null, reasoning_content: 'r', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'Write', arguments: { a: 1 } } }] }, toolMsg('c1')], /arguments: must be a string/],
  ['arguments not JSON', [user('go'), callMsg('c1', '{"a":'), toolMsg('c1')], /not valid JSON/],
  ['illegal tool name in a call', [user('go'), { role: 'assistant', content: null, reasoning_content: 'r', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'mcp.server/tool', arguments: '{}' } }] }, toolMsg('c1')], /function.name/],
  ['tool message without a preceding call', [user('go'), toolMsg('c1')], /must be a response to a preceeding message with 'tool_calls'/],
  ['tool message answering another id', [user('go'), callMsg('c1'), toolMsg('c2')], /preceeding message/],
  ['tool message not right after its assistant turn', [user('go'), callMsg('c1'), user('wait'), toolMsg('c1')], /did not have response messages: c1/],
  ['a call never answered', [user('go'), callMsg('c1')], /did not have response messages: c1/],
  ['empty tool content', [user('go'), callMsg('c1'), toolMsg('c1', '')], /must not be empty/],
  ['assistant with neither content nor calls', [user('go'), { role: 'assistant', content: null }, user('x')], /needs content or tool_calls/],
  ['illegal tool name in tools', [user('go')], /tools\[0\]\.function\.name/, { tools: [{ type: 'function', function: { name: 'a'.repeat(65), parameters: {} } }] }],
  ['stream_options without stream', [user('go')], /stream_options/, { stream_options: { include_usage: true } }],
];
for (const [name, messages, pattern, extra] of invalid) {
  test(`rejects ${name} with 400`, async () => {
    nim.setBrain(() => ({ steps: [{ type: 'text', text: 'should not happen' }] }));
    const r = await postJson(chat(), { model: MODEL, messages, ...extra }, auth);
    assert.equal(r.status, 400, r.text);
    assert.match(r.json.error.message, pattern);
    assert.match(nim.requests.at(-1)?.rejected ?? '', pattern);
  });
}

test('failure rate_limit: 429 with NIM body and retry-after', async () => {
  nim.setBrain(() => ({ fail: 'rate_limit', retryAfterSeconds: 7 }));
  const r = await postJson(chat(), { model: MODEL, messages: [user('hi')] }, auth);
  assert.equal(r.status, 429);
  assert.deepEqual(r.json, { status: 429, title: 'Too Many Requests' });
  assert.equal(r.headers.get('retry-after'), '7');
});

test('failure server_error uses the given status', async () => {
  nim.setBrain(() => ({ fail: 'server_error', status: 502 }));
  const r = await postJson(chat(), { model: MODEL, messages: [user('hi')] }, auth);
  assert.equal(r.status, 502);
  assert.equal(r.json.status, 502);
});

test('failure context_overflow: vLLM wording', async () => {
  nim.setBrain(() => ({ fail: 'context_overflow' }));
  const r = await postJson(chat(), { model: MODEL, messages: [user('hi')], max_tokens: 4000 }, auth);
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /^This model's maximum context length is \d+ tokens\. However, you requested \d+ tokens \(\d+ in the messages, 4000 in the completion\)/);
});

test('failure drop_mid_stream: some chunks, then the connection breaks without [DONE]', async () => {
  nim.setBrain(() => ({ fail: 'drop_mid_stream', afterSteps: 1 }));
  const res = await postRaw(chat(), { model: MODEL, messages: [user('hi')], stream: true }, auth);
  const read = await readSse(res);
  assert.equal(read.complete, false);
  assert.ok(read.events.length >= 2, 'some chunks arrived before the drop');
  assert.ok(read.events.every((e) => e.data !== '[DONE]'));
});

test('rpm is enforced over a sliding window with NIM 429 body', async () => {
  const limited = await startFakeNim({ rpm: 2 });
  try {
    const h = { authorization: `Bearer ${limited.key}` };
    const body = { model: MODEL, messages: [user('hi')] };
    assert.equal((await postJson(`${limited.url}/chat/completions`, body, h)).status, 200);
    assert.equal((await postJson(`${limited.url}/chat/completions`, body, h)).status, 200);
    const third = await postJson(`${limited.url}/chat/completions`, body, h);
    assert.equal(third.status, 429);
    assert.deepEqual(third.json, { status: 429, title: 'Too Many Requests' });
    assert.ok(Number(third.headers.get('retry-after')) >= 1);
    assert.equal(limited.requests.at(-1)?.rejected, 'rpm exceeded');
  } finally {
    await limited.close();
  }
});
