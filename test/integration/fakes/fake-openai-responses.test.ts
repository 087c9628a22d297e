/**
 * The fake OpenAI Responses API on a real socket: answers (whole and streamed, read by the
 * official `openai` SDK too), OpenAI's error shapes and headers, strict validation of input items
 * and tools, encrypted reasoning round trips, recording.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { CONTEXT_OVERFLOW_MESSAGE, startFakeOpenAiResponses } from '../../fakes/fake-openai-responses';
import type { FakeUpstream } from '../../fakes/scenario';
import { postJson, postRaw } from '../../helpers/http';
import { readSse, sseJson } from '../../helpers/sse';

const MODEL = 'gpt-5';
const TRICKY = 'héllo "wörld" ✓ 😀\nback\\slash';
let fake: FakeUpstream;
let auth: Record<string, string>;
const url = () => `${fake.url}/responses`;
const userMsg = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const call = (callId: string, name = 'exec_command', args = '{"cmd":"ls"}') => ({ type: 'function_call', call_id: callId, name, arguments: args });
const output = (callId: string, out = 'done') => ({ type: 'function_call_output', call_id: callId, output: out });
const fnTool = { type: 'function', name: 'exec_command', parameters: { type: 'object', properties: { cmd: { type: 'string' } } }, strict: false };

before(async () => {
  fake = await startFakeOpenAiResponses({ chunkSeed: 3 });
  auth = { authorization: `Bearer ${fake.key}` };
});
after(() => fake.close());

test('a whole response: object, output items, usage with cached tokens', async () => {
  fake.setBrain(() => ({ steps: [{ type: 'text', text: 'ok' }], usage: { input: 70, output: 5, cached: 30 } }));
  const r = await postJson(url(), { model: MODEL, input: 'hi', store: false }, auth);
  assert.equal(r.status, 200);
  assert.equal(r.json.object, 'response');
  assert.match(r.json.id, /^resp_/);
  assert.equal(r.json.status, 'completed');
  assert.equal(r.json.model, MODEL);
  assert.deepEqual(r.json.output[0].content, [{ type: 'output_text', text: 'ok', annotations: [], logprobs: [] }]);
  assert.deepEqual(r.json.usage, { input_tokens: 100, input_tokens_details: { cached_tokens: 30 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 105 });
  assert.equal(fake.requests.at(-1)?.headers.authorization, `Bearer ${fake.key}`);
});

test('a stream: full event sequence, sequence numbers from 0, deltas that add up, done items whole', async () => {
  const args = { cmd: `printf '${TRICKY}'` };
  fake.setBrain(() => ({ steps: [{ type: 'reasoning', text: 'Think first.' }, { type: 'text', text: TRICKY }, { type: 'tool_call', name: 'exec_command', arguments: args }], usage: { input: 10, output: 20 } }));
  const res = await postRaw(url(), { model: MODEL, input: [userMsg('go')], tools: [fnTool], stream: true, store: false }, auth);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const read = await readSse(res);
  assert.ok(read.complete);
  for (const e of read.events) assert.equal(e.event, (JSON.parse(e.data) as { type: string }).type, 'event: line names the type');
  const events = sseJson(read) as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire JSON
  assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
  const types = events.map((e) => e.type);
  assert.deepEqual([...new Set(types)], [
    'response.created', 'response.in_progress', 'response.output_item.added', 'response.reasoning_summary_part.added', 'response.reasoning_summary_text.delta',
    'response.reasoning_summary_text.done', 'response.reasoning_summary_part.done', 'response.output_item.done', 'response.content_part.added',
    'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.function_call_arguments.delta',
    'response.function_call_arguments.done', 'response.completed',
  ]);
  const text = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta as string);
  assert.equal(text.join(''), TRICKY);
  assert.ok(text.length > 3, 'text arrives in pieces');
  const argPieces = events.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta as string);
  assert.deepEqual(JSON.parse(argPieces.join('')), args);
  const done = events.filter((e) => e.type === 'response.output_item.done').map((e) => e.item);
  assert.deepEqual(done.map((i) => i.type), ['reasoning', 'message', 'function_call']);
  assert.equal(done[0].summary[0].text, 'Think first.');
  assert.equal(done[0].encrypted_content, undefined, 'no encrypted content unless included');
  assert.match(done[2].call_id, /^call_/);
  assert.equal(done[2].status, 'completed');
  const completed = events.at(-1)!;
  assert.equal(completed.response.status, 'completed');
  assert.equal(completed.response.id, events[0]!.response.id);
  assert.deepEqual(completed.response.usage, { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 30 });
});

test('the official openai SDK consumes the stream and rebuilds the output', async () => {
  fake.setBrain(() => ({ steps: [{ type: 'reasoning', text: 'Plan.' }, { type: 'text', text: TRICKY }, { type: 'tool_call', name: 'exec_command', arguments: { cmd: 'ls' }, id: 'call_fixed1' }] }));
  const client = new OpenAI({ apiKey: fake.key, baseURL: fake.url, maxRetries: 0, timeout: 10_000 });
  const final = await client.responses.stream({ model: MODEL, input: 'go', store: false, tools: [fnTool as never] }).finalResponse();
  assert.equal(final.output_text, TRICKY);
  const fc = final.output.find((i) => i.type === 'function_call');
  assert.equal(fc?.type === 'function_call' && fc.call_id, 'call_fixed1');
  assert.equal(final.usage?.total_tokens, (final.usage?.input_tokens ?? 0) + (final.usage?.output_tokens ?? 0));
});

test('401: missing key, and a wrong key shown masked only', async () => {
  const missing = await postJson(url(), { model: MODEL, input: 'hi' });
  assert.equal(missing.status, 401);
  assert.equal(missing.json.error.type, 'invalid_request_error');
  assert.match(missing.json.error.message, /You didn't provide an API key/);
  const wrongKey = 'sk-proj-wrong-0123456789abcdef';
  const wrong = await postJson(url(), { model: MODEL, input: 'hi' }, { authorization: `Bearer ${wrongKey}` });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error.code, 'invalid_api_key');
  assert.match(wrong.json.error.message, /^Incorrect API key provided: sk-\*+cdef\./);
  assert.ok(!wrong.text.includes(wrongKey));
  assert.equal(fake.requests.at(-1)?.rejected, 'wrong key');
});

test('404 for a model it does not serve, and for an unknown path', async () => {
  const r = await postJson(url(), { model: 'kimi-k2.6', input: 'hi' }, auth);
  assert.equal(r.status, 404);
  assert.deepEqual(r.json.error, { message: "The model 'kimi-k2.6' does not exist or you do not have access to it.", type: 'invalid_request_error', param: null, code: 'model_not_found' });
  const chat = await postJson(`${fake.url}/chat/completions`, { model: MODEL, messages: [] }, auth);
  assert.equal(chat.status, 404);
  assert.match(fake.requests.at(-1)?.rejected ?? '', /no route POST \/v1\/chat\/completions/);
});

test('GET /v1/models needs the key and lists the models', async () => {
  const anon = await fetch(`${fake.url}/models`, { signal: AbortSignal.timeout(5000) });
  assert.equal(anon.status, 401);
  const res = await fetch(`${fake.url}/models`, { headers: auth, signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { data: Array<{ id: string }> };
  assert.ok(body.data.some((m) => m.id === 'gpt-5'));
});

test('429 from the brain: retry-after, x-ratelimit-* headers, OpenAI wording', async () => {
  fake.setBrain(() => ({ fail: 'rate_limit', retryAfterSeconds: 7 }));
  const r = await postJson(url(), { model: MODEL, input: 'hi' }, auth);
  assert.equal(r.status, 429);
  assert.equal(r.headers.get('retry-after'), '7');
  assert.equal(r.headers.get('x-ratelimit-remaining-requests'), '0');
  assert.equal(r.headers.get('x-ratelimit-reset-requests'), '7s');
  assert.ok(r.headers.get('x-ratelimit-limit-tokens'));
  assert.equal(r.json.error.code, 'rate_limit_exceeded');
  assert.match(r.json.error.message, /Please try again in 7s\./);
});

test('rpm is enforced with a 429 and the seconds until a slot frees', async () => {
  const limited = await startFakeOpenAiResponses({ rpm: 1 });
  try {
    const a = { authorization: `Bearer ${limited.key}` };
    assert.equal((await postJson(`${limited.url}/responses`, { model: MODEL, input: 'one' }, a)).status, 200);
    const second = await postJson(`${limited.url}/responses`, { model: MODEL, input: 'two' }, a);
    assert.equal(second.status, 429);
    assert.ok(Number(second.headers.get('retry-after')) >= 59);
    assert.equal(second.headers.get('x-ratelimit-limit-requests'), '1');
    assert.equal(limited.requests.at(-1)?.rejected, 'rpm exceeded');
  } finally {
    await limited.close();
  }
});

test('400 context_length_exceeded: from the brain, and when the input exceeds the window', async () => {
  fake.setBrain(() => ({ fail: 'context_overflow' }));
  const r = await postJson(url(), { model: MODEL, input: 'hi' }, auth);
  assert.equal(r.status, 400);
  assert.deepEqual(r.json.error, { message: CONTEXT_OVERFLOW_MESSAGE, type: 'invalid_request_error', param: 'input', code: 'context_length_exceeded' });
  const small = await startFakeOpenAiResponses({ contextWindow: 50 });
  try {
    const big = await postJson(`${small.url}/responses`, { model: MODEL, input: 'x'.repeat(1000) }, { authorization: `Bearer ${small.key}` });
    assert.equal(big.status, 400);
    assert.equal(big.json.error.code, 'context_length_exceeded');
  } finally {
    await small.close();
  }
});

test('5xx and overload in OpenAI shape', async () => {
  fake.setBrain(() => ({ fail: 'server_error', status: 502 }));
  const a = await postJson(url(), { model: MODEL, input: 'hi' }, auth);
  assert.equal(a.status, 502);
  assert.equal(a.json.error.type, 'server_error');
  fake.setBrain(() => ({ fail: 'overloaded' }));
  assert.equal((await postJson(url(), { model: MODEL, input: 'hi' }, auth)).status, 503);
});

test('drop mid-stream: items, then the socket closes without response.completed', async () => {
  fake.setBrain(() => ({ fail: 'drop_mid_stream', afterSteps: 1 }));
  const read = await readSse(await postRaw(url(), { model: MODEL, input: 'hi', stream: true }, auth));
  const types = sseJson(read).map((e) => e.type);
  assert.ok(types.includes('response.output_item.done'));
  assert.ok(!types.includes('response.completed'));
});

/** Sends a request expected to be refused; returns the error and the status. */
async function refused(body: Record<string, unknown>): Promise<{ status: number; error: { message: string; param: string | null; code: string | null } }> {
  fake.setBrain(() => ({ steps: [{ type: 'text', text: 'should not be reached' }] }));
  const r = await postJson(url(), { model: MODEL, store: false, ...body }, auth);
  assert.ok(fake.requests.at(-1)?.rejected, `refused: ${JSON.stringify(body).slice(0, 200)} -> ${r.status} ${r.text.slice(0, 200)}`);
  return { status: r.status, error: r.json.error };
}

test('strict: unknown item types, unknown or Chat-style parameters', async () => {
  const item = await refused({ input: [userMsg('hi'), { type: 'tool_result', call_id: 'c', output: 'x' }] });
  assert.equal(item.status, 400);
  assert.equal(item.error.param, 'input[1].type');
  assert.match(item.error.message, /^Invalid value: 'tool_result'\. Supported values are: 'message', 'function_call'/);
  const unknown = await refused({ input: 'hi', messages: [] });
  assert.deepEqual([unknown.error.code, unknown.error.message], ['unknown_parameter', "Unknown parameter: 'messages'."]);
  const moved = await refused({ input: 'hi', max_tokens: 100 });
  assert.match(moved.error.message, /has moved to 'max_output_tokens'/);
  const tooSmall = await refused({ input: 'hi', max_output_tokens: 5 });
  assert.equal(tooSmall.error.code, 'integer_below_min_value');
});

test('strict: calls and outputs must pair by call_id, in order', async () => {
  const stray = await refused({ input: [userMsg('hi'), output('call_nope')] });
  assert.equal(stray.error.message, 'No tool call found for function call output with call_id call_nope.');
  const early = await refused({ input: [userMsg('hi'), output('call_1'), call('call_1')] });
  assert.match(early.error.message, /No tool call found .* call_1/);
  const unanswered = await refused({ input: [userMsg('hi'), call('call_2'), userMsg('and?')] });
  assert.equal(unanswered.error.message, 'No tool output found for function call call_2.');
  const noCallId = await refused({ input: [userMsg('hi'), { type: 'function_call', name: 'exec_command', arguments: '{}' }] });
  assert.equal(noCallId.error.message, "Missing required parameter: 'input[1].call_id'.");
  const paired = await postJson(url(), { model: MODEL, store: false, input: [userMsg('hi'), call('call_3'), output('call_3'), userMsg('next')], tools: [fnTool] }, auth);
  assert.equal(paired.status, 200, paired.text);
});

test('strict: content part types by role', async () => {
  const assistantInput = await refused({ input: [userMsg('hi'), { type: 'message', role: 'assistant', content: [{ type: 'input_text', text: 'x' }] }] });
  assert.equal(assistantInput.error.param, 'input[1].content[0].type');
  assert.match(assistantInput.error.message, /Supported values are: 'output_text', 'refusal'/);
  const userOutput = await refused({ input: [{ type: 'message', role: 'user', content: [{ type: 'output_text', text: 'x' }] }] });
  assert.match(userOutput.error.message, /Invalid value: 'output_text'/);
  const role = await refused({ input: [{ type: 'message', role: 'tool', content: 'x' }] });
  assert.equal(role.error.param, 'input[0].role');
});

test('strict: tools (names, strict schemas by default, no Chat-style nesting)', async () => {
  const dotted = await refused({ input: 'hi', tools: [{ ...fnTool, name: 'multi_agent_v1.wait_agent' }] });
  assert.match(dotted.error.message, /does not match pattern/);
  const nested = await refused({ input: 'hi', tools: [{ type: 'function', name: 'x', function: { name: 'x' } }] });
  assert.equal(nested.error.code, 'unknown_parameter');
  const strictByDefault = await refused({ input: 'hi', tools: [{ type: 'function', name: 'x', parameters: { type: 'object', properties: { a: { type: 'string' } } } }] });
  assert.match(strictByDefault.error.message, /'additionalProperties' is required to be supplied and to be false/);
  const unknownType = await refused({ input: 'hi', tools: [{ type: 'bash' }] });
  assert.equal(unknownType.error.param, 'tools[0].type');
  const codexLike = await postJson(url(), { model: MODEL, store: false, input: 'hi', tools: [fnTool, { type: 'namespace', name: 'multi_agent_v1', description: 'd', tools: [{ ...fnTool, name: 'wait_agent' }] }, { type: 'web_search', external_web_access: true }] }, auth);
  assert.equal(codexLike.status, 200, codexLike.text);
});

test('model rules: sampling refused on reasoning models, reasoning.effort refused on others; safety_identifier at most 64', async () => {
  const temp = await refused({ input: 'hi', temperature: 0.2 });
  assert.equal(temp.error.message, "Unsupported parameter: 'temperature' is not supported with this model.");
  const effort = await refused({ model: 'gpt-4.1', input: 'hi', reasoning: { effort: 'high' } });
  assert.equal(effort.error.param, 'reasoning.effort');
  const ok = await postJson(url(), { model: 'gpt-4.1', input: 'hi', temperature: 0.2 }, auth);
  assert.equal(ok.status, 200);
  const sid = await refused({ input: 'hi', safety_identifier: 'u'.repeat(65) });
  assert.equal(sid.error.code, 'string_above_max_length');
});

test('reasoning round trip: encrypted_content it issued is accepted, a forged one or a bare id under store:false is not', async () => {
  fake.setBrain(() => ({ steps: [{ type: 'reasoning', text: 'secret plan' }, { type: 'tool_call', name: 'exec_command', arguments: { cmd: 'ls' } }] }));
  const first = await postJson(url(), { model: MODEL, store: false, include: ['reasoning.encrypted_content'], input: [userMsg('go')], tools: [fnTool] }, auth);
  assert.equal(first.status, 200);
  const [reasoning, fc] = first.json.output;
  assert.equal(typeof reasoning.encrypted_content, 'string');
  assert.ok(!reasoning.encrypted_content.includes('secret plan'), 'not readable as plain text');
  fake.setBrain(() => ({ steps: [{ type: 'text', text: 'done' }] }));
  const echoed = await postJson(url(), { model: MODEL, store: false, input: [userMsg('go'), reasoning, fc, output(fc.call_id)], tools: [fnTool] }, auth);
  assert.equal(echoed.status, 200, echoed.text);
  const forged = await refused({ input: [userMsg('go'), { ...reasoning, encrypted_content: 'gAAAAAZm9yZ2Vk.bad' }, fc, output(fc.call_id)], tools: [fnTool] });
  assert.equal(forged.error.code, 'invalid_encrypted_content');
  const bareId = await refused({ input: [userMsg('go'), { type: 'reasoning', id: reasoning.id, summary: reasoning.summary }, fc, output(fc.call_id)], tools: [fnTool] });
  assert.equal(bareId.status, 404);
  assert.match(bareId.error.message, /Items are not persisted when `store` is set to false/);
  const prev = await refused({ input: 'hi', previous_response_id: 'resp_unknown' });
  assert.equal(prev.status, 404);
});

test('every request is recorded with path and headers, refused ones marked', async () => {
  const before = fake.requests.length;
  await postJson(url(), { model: MODEL, input: 'hi' }, { ...auth, 'x-test': 'yes' });
  await postJson(url(), { model: MODEL }, auth);
  const [ok, bad] = fake.requests.slice(before);
  assert.equal(ok?.path, '/v1/responses');
  assert.equal(ok?.headers['x-test'], 'yes');
  assert.equal(ok?.rejected, undefined);
  assert.equal(bad?.rejected, "Missing required parameter: 'input'.");
});
