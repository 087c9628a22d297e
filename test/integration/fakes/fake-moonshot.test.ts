import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFakeMoonshot } from '../../fakes/fake-moonshot';
import type { FakeUpstream } from '../../fakes/scenario';
import { postJson, postRaw } from '../../helpers/http';
import { readSse, sseJson } from '../../helpers/sse';

const MODEL = 'kimi-k2.6';
const TRICKY = 'héllo "wörld" ✓ 😀\nback\\slash';
let ms: FakeUpstream;
let auth: Record<string, string>;
const messagesUrl = () => `${ms.url}/v1/messages`;

before(async () => {
  ms = await startFakeMoonshot({ chunkSeed: 3 });
  auth = { 'x-api-key': ms.key, 'anthropic-version': '2023-06-01' };
});
after(() => ms.close());

const user = (content: unknown) => ({ role: 'user', content });
const toolUse = (id: string) => ({ role: 'assistant', content: [{ type: 'text', text: 'writing' }, { type: 'tool_use', id, name: 'Write', input: { a: 1 } }] });
const toolResult = (id: string, extra: unknown[] = []) => ({ role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'done' }, ...extra] });
const req = (messages: unknown[], extra: Record<string, unknown> = {}) => ({ model: MODEL, max_tokens: 1024, messages, ...extra });

test('default brain answers "ok" as an Anthropic message; x-api-key and Bearer both work', async () => {
  ms.setBrain(() => ({ steps: [{ type: 'text', text: 'ok' }] }));
  const r = await postJson(messagesUrl(), req([user('hi')]), auth);
  assert.equal(r.status, 200);
  assert.equal(r.json.type, 'message');
  assert.deepEqual(r.json.content, [{ type: 'text', text: 'ok' }]);
  assert.equal(r.json.stop_reason, 'end_turn');
  const bearer = await postJson(`${messagesUrl()}?beta=true`, req([user('hi')]), { authorization: `Bearer ${ms.key}` });
  assert.equal(bearer.status, 200);
  assert.equal(ms.requests.at(-1)?.path, '/anthropic/v1/messages');
});

test('missing or wrong key gets 401 authentication_error', async () => {
  const r = await postJson(messagesUrl(), req([user('hi')]), { 'x-api-key': 'nope' });
  assert.equal(r.status, 401);
  assert.equal(r.json.type, 'error');
  assert.equal(r.json.error.type, 'authentication_error');
  assert.equal((await postJson(messagesUrl(), req([user('hi')]))).status, 401);
});

test('streams thinking with signature, a tool_use in input_json_delta fragments, message_delta and message_stop', async () => {
  const input = { file_path: '/tmp/x.txt', content: TRICKY };
  ms.setBrain(() => ({ steps: [{ type: 'reasoning', text: 'Plan: write.' }, { type: 'tool_call', name: 'Write', arguments: input }], usage: { input: 50, output: 12, cached: 8 } }));
  const res = await postRaw(messagesUrl(), req([user('write')], { stream: true }), auth);
  assert.equal(res.status, 200);
  const read = await readSse(res);
  assert.ok(read.complete);
  const names = read.events.map((e) => e.event).filter((e) => e !== 'ping');
  assert.deepEqual(names.slice(0, 2), ['message_start', 'content_block_start']);
  assert.deepEqual(names.slice(-2), ['message_delta', 'message_stop']);
  assert.ok(read.events.some((e) => e.event === 'ping'));
  const data = sseJson(read);
  for (const [i, d] of data.entries()) assert.equal(d.type, read.events[i]?.event, 'event name equals data.type');
  const deltas = data.filter((d) => d.type === 'content_block_delta') as Array<{ index: number; delta: Record<string, string> }>;
  assert.equal(deltas.filter((d) => d.index === 0 && d.delta.type === 'thinking_delta').map((d) => d.delta.thinking).join(''), 'Plan: write.');
  assert.equal(deltas.filter((d) => d.delta.type === 'signature_delta').length, 1);
  const fragments = deltas.filter((d) => d.index === 1 && d.delta.type === 'input_json_delta').map((d) => d.delta.partial_json!);
  assert.ok(fragments.length > 5);
  assert.deepEqual(JSON.parse(fragments.join('')), input);
  const starts = data.filter((d) => d.type === 'content_block_start') as Array<{ content_block: { type: string; id?: string } }>;
  assert.equal(starts[1]?.content_block.type, 'tool_use');
  assert.match(starts[1]?.content_block.id ?? '', /^[a-zA-Z0-9_-]+$/);
  const md = data.find((d) => d.type === 'message_delta') as { delta: { stop_reason: string }; usage: { output_tokens: number; cache_read_input_tokens: number } };
  assert.equal(md.delta.stop_reason, 'tool_use');
  assert.equal(md.usage.output_tokens, 12);
  assert.equal(md.usage.cache_read_input_tokens, 8);
});

test('accepts a well-formed tool round with thinking echoed back', async () => {
  ms.setBrain(() => ({ steps: [{ type: 'text', text: 'done' }] }));
  const assistant = { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: 'sig' }, { type: 'tool_use', id: 'pbx_functions_2eWrite_3a0', name: 'Write', input: {} }] };
  const r = await postJson(messagesUrl(), req([user('go'), assistant, toolResult('pbx_functions_2eWrite_3a0', [{ type: 'text', text: 'next' }])], { system: [{ type: 'text', text: 'sys' }] }), auth);
  assert.equal(r.status, 200, r.text);
});

test('count_tokens answers input_tokens and validates too', async () => {
  const ok = await postJson(`${messagesUrl()}/count_tokens`, { model: MODEL, messages: [user('hello there')] }, auth);
  assert.equal(ok.status, 200);
  assert.ok(ok.json.input_tokens > 0);
  const bad = await postJson(`${messagesUrl()}/count_tokens`, { model: MODEL, messages: [{ role: 'system', content: 'x' }] }, auth);
  assert.equal(bad.status, 400);
});

const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
  ['missing max_tokens', { model: MODEL, messages: [user('hi')] }, /max_tokens: Field required/],
  ['missing model', { max_tokens: 10, messages: [user('hi')] }, /model: Field required/],
  ['missing messages', { model: MODEL, max_tokens: 10 }, /messages: Field required/],
  ['a system role inside messages', req([user('hi'), { role: 'assistant', content: 'a' }, { role: 'system', content: 'mid' }, user('again')]), /messages\.2: Unexpected role "system"\. .* not "system" as an input message role/],
  ['an unknown role', req([{ role: 'robot', content: 'x' }]), /messages\.0\.role: Input should be 'user' or 'assistant'/],
  ['an unknown block type', req([user([{ type: 'input_text', text: 'hi' }])]), /messages\.0\.content\.0: Input tag "input_text"/],
  ['an illegal tool_use id', req([user('go'), toolUse('functions.Write:0'), toolResult('functions.Write:0')]), /messages\.1\.content\.1\.id: String should match pattern/],
  ['a tool_result with no tool_use before it', req([user('go'), toolUse('t1'), toolResult('t1'), { role: 'assistant', content: 'x' }, toolResult('t1')]), /unexpected `tool_use_id` found in `tool_result` blocks: t1/],
  ['a tool_result after other content', req([user('go'), toolUse('t1'), { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'tool_result', tool_use_id: 't1', content: 'x' }] }]), /tool_result blocks must come first/],
  ['a tool_use left without result', req([user('go'), toolUse('t1'), user('ignored it')]), /`tool_use` ids were found without `tool_result` blocks immediately after: t1/],
  ['a thinking block without signature', req([user('go'), { role: 'assistant', content: [{ type: 'thinking', thinking: 'x' }, { type: 'text', text: 'y' }] }, user('z')]), /signature: Input should be a valid string/],
  ['an empty text block', req([user([{ type: 'text', text: '' }])]), /text content blocks must be non-empty/],
  ['an empty user message', req([user('')]), /must have non-empty content/],
  ['tool_use in a user message', req([{ role: 'user', content: [{ type: 'tool_use', id: 't', name: 'x', input: {} }] }]), /only allowed in assistant messages/],
];
for (const [name, body, pattern] of invalid) {
  test(`rejects ${name} with 400 invalid_request_error`, async () => {
    ms.setBrain(() => ({ steps: [{ type: 'text', text: 'should not happen' }] }));
    const r = await postJson(messagesUrl(), body, auth);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.type, 'error');
    assert.equal(r.json.error.type, 'invalid_request_error');
    assert.match(r.json.error.message, pattern);
    assert.match(ms.requests.at(-1)?.rejected ?? '', pattern);
  });
}

test('failure rate_limit: 429 rate_limit_error with retry-after', async () => {
  ms.setBrain(() => ({ fail: 'rate_limit', retryAfterSeconds: 5 }));
  const r = await postJson(messagesUrl(), req([user('hi')]), auth);
  assert.equal(r.status, 429);
  assert.equal(r.json.error.type, 'rate_limit_error');
  assert.equal(r.headers.get('retry-after'), '5');
});

test('failure overloaded: 529 overloaded_error', async () => {
  ms.setBrain(() => ({ fail: 'overloaded' }));
  const r = await postJson(messagesUrl(), req([user('hi')]), auth);
  assert.equal(r.status, 529);
  assert.equal(r.json.error.type, 'overloaded_error');
});

test('failure server_error: 500 api_error', async () => {
  ms.setBrain(() => ({ fail: 'server_error' }));
  const r = await postJson(messagesUrl(), req([user('hi')]), auth);
  assert.equal(r.status, 500);
  assert.equal(r.json.error.type, 'api_error');
});

test('failure context_overflow: "prompt is too long"', async () => {
  ms.setBrain(() => ({ fail: 'context_overflow' }));
  const r = await postJson(messagesUrl(), req([user('hi')]), auth);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.type, 'invalid_request_error');
  assert.match(r.json.error.message, /^prompt is too long: \d+ tokens > \d+ maximum$/);
});

test('failure drop_mid_stream: the stream breaks before message_stop', async () => {
  ms.setBrain(() => ({ fail: 'drop_mid_stream' }));
  const read = await readSse(await postRaw(messagesUrl(), req([user('hi')], { stream: true }), auth));
  assert.equal(read.complete, false);
  assert.equal(read.events[0]?.event, 'message_start');
  assert.ok(read.events.every((e) => e.event !== 'message_stop'));
});

test('rpm is enforced with 429 rate_limit_error and retry-after', async () => {
  const limited = await startFakeMoonshot({ rpm: 1 });
  try {
    const h = { 'x-api-key': limited.key };
    assert.equal((await postJson(`${limited.url}/v1/messages`, req([user('hi')]), h)).status, 200);
    const second = await postJson(`${limited.url}/v1/messages`, req([user('hi')]), h);
    assert.equal(second.status, 429);
    assert.equal(second.json.error.type, 'rate_limit_error');
    assert.ok(Number(second.headers.get('retry-after')) >= 1);
  } finally {
    await limited.close();
  }
});
