// Responses clients (Codex, the openai SDK's client.responses) through the proxy on a real
// socket: POST /v1/responses with the client token, translated to a Chat backend (the fake NIM)
// and to an Anthropic one (the fake Moonshot), streamed and whole; the official SDK rebuilds the
// answer; errors come in the Responses shape; tools a backend cannot run are left out and logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { CLIENT_TOKEN, call } from './proxy-harness';
import { startPolicyHarness } from './policy/policy-harness';

const auth = { authorization: `Bearer ${CLIENT_TOKEN}` };
const sdk = (url: string) => new OpenAI({ apiKey: CLIENT_TOKEN, baseURL: `${url}/v1`, maxRetries: 0, timeout: 15_000 });

for (const backend of ['nim', 'moonshot'] as const) {
  test(`the openai SDK streams a Responses answer with a function call from ${backend}`, async () => {
    const h = await startPolicyHarness({ active: backend });
    try {
      const fake = backend === 'nim' ? h.nim : h.moonshot;
      fake.setBrain(() => ({
        steps: [
          { type: 'reasoning', text: 'I should run it.' },
          { type: 'text', text: 'Running it.' },
          { type: 'tool_call', name: 'exec_command', arguments: { cmd: 'touch made.txt' } },
        ],
        usage: { input: 40, output: 9, cached: 4 },
      }));
      const stream = sdk(h.url).responses.stream({
        model: 'gpt-5-codex',
        input: [
          { role: 'developer', content: 'You are a coding agent.' },
          { role: 'user', content: 'make a file' },
        ],
        tools: [
          { type: 'function', name: 'exec_command', parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] }, strict: false },
          { type: 'web_search' },
        ],
      });
      const final = await stream.finalResponse();
      assert.equal(final.status, 'completed');
      assert.match(final.id, /^resp_/);
      assert.equal(final.output_text, 'Running it.');
      const call1 = final.output.find((o) => o.type === 'function_call');
      assert.ok(call1 && call1.type === 'function_call');
      assert.equal(call1.name, 'exec_command');
      assert.deepEqual(JSON.parse(call1.arguments), { cmd: 'touch made.txt' });
      assert.ok(call1.call_id.length > 0);
      assert.ok(final.usage && final.usage.output_tokens === 9 && final.usage.total_tokens > 9);

      const sent = fake.requests.at(-1)!;
      assert.equal(sent.rejected, undefined, `the fake accepted the request: ${sent.rejected}`);
      const tools = (sent.body.tools as Array<{ name?: string; function?: { name: string } }>).map((t) => t.name ?? t.function?.name);
      assert.deepEqual(tools, ['exec_command'], 'web_search is left out: the backend cannot run it');
      const entry = (await h.log.list({ limit: 5 })).items[0]!;
      assert.equal(entry.inboundFormat, 'responses');
      assert.equal(entry.backend, backend);
      assert.ok(entry.notes?.some((n) => n.includes('web_search')), `the log notes the left-out tool: ${JSON.stringify(entry.notes)}`);
    } finally {
      await h.close();
    }
  });
}

test('a whole (non-streamed) Responses answer, and the history of a tool call turn accepted by Kimi', async () => {
  const h = await startPolicyHarness();
  try {
    h.nim.setBrain(() => ({ steps: [{ type: 'text', text: 'done' }] }));
    const res = await call(h, '/v1/responses', {
      headers: auth,
      body: {
        model: 'gpt-5-codex',
        input: [
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'make a file' }] },
          { type: 'function_call', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"touch a"}' },
          { type: 'function_call_output', call_id: 'call_1', output: 'ok' },
        ],
        tools: [{ type: 'function', name: 'exec_command', parameters: { type: 'object', properties: {} } }],
        store: false,
      },
    });
    assert.equal(res.status, 200, res.text);
    const body = res.json() as { object: string; id: string; status: string; output: Array<{ type: string; content?: Array<{ text: string }> }> };
    assert.equal(body.object, 'response');
    assert.equal(body.status, 'completed');
    assert.equal(body.output.find((o) => o.type === 'message')?.content?.[0]?.text, 'done');
    const sent = h.nim.requests.at(-1)!;
    assert.equal(sent.rejected, undefined, `NIM accepted the history: ${sent.rejected}`);
    const assistant = (sent.body.messages as Array<{ role: string; tool_calls?: unknown[]; reasoning_content?: string }>).find((m) => m.role === 'assistant');
    assert.ok(assistant?.tool_calls?.length === 1 && typeof assistant.reasoning_content === 'string', 'the tool-call turn carries reasoning_content (Kimi)');
  } finally {
    await h.close();
  }
});

test('errors reach a Responses client in its own shape: no key (400, not retried), too long (context_length_exceeded)', async () => {
  const h = await startPolicyHarness({ env: {}, nimOverrides: { contextWindow: 100 }, moonshotOverrides: {} });
  try {
    const noKey = await call(h, '/v1/responses', { headers: auth, body: { model: 'gpt-5-codex', input: 'hi' } });
    assert.equal(noKey.status, 400, noKey.text);
    const err = (noKey.json() as { error: { message: string; type: string } }).error;
    assert.match(err.message, /no API key for backend "nim"/i);

    const long = await call(h, '/v1/responses', { headers: auth, body: { model: 'gpt-5-codex', input: 'word '.repeat(2000) } });
    assert.equal(long.status, 400, long.text);
    assert.equal((long.json() as { error: { code: string } }).error.code, 'context_length_exceeded');
  } finally {
    await h.close();
  }
});

test('previous_response_id: a follow-up is served with the stored conversation before it (streamed and whole); an unknown id is a 400', async () => {
  const h = await startPolicyHarness();
  try {
    let turn = 0;
    h.nim.setBrain(() => ({ steps: [{ type: 'text', text: `answer ${++turn}` }] }));
    const client = sdk(h.url);
    const first = await client.responses.create({ model: 'gpt-5-codex', input: 'remember the word zebra' });
    assert.equal(first.output_text, 'answer 1');
    const second = await client.responses.stream({ model: 'gpt-5-codex', input: 'and the word yak', previous_response_id: first.id }).finalResponse();
    assert.equal(second.output_text, 'answer 2');
    const third = await client.responses.create({ model: 'gpt-5-codex', input: 'which words?', previous_response_id: second.id });
    assert.equal(third.output_text, 'answer 3');

    const sent = h.nim.requests.at(-1)!.body.messages as Array<{ role: string; content: unknown }>;
    const text = sent.map((m) => `${m.role}:${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`);
    const order = ['zebra', 'answer 1', 'yak', 'answer 2', 'which words?'].map((w) => text.findIndex((t) => t.includes(w)));
    assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!)), `the whole chain in order: ${JSON.stringify(text)}`);

    await assert.rejects(
      client.responses.create({ model: 'gpt-5-codex', input: 'x', previous_response_id: 'resp_unknown' }),
      (err: { status?: number; message?: string }) => err.status === 400 && /Previous response with id 'resp_unknown' not found/.test(String(err.message)),
    );
    const notStored = await client.responses.create({ model: 'gpt-5-codex', input: 'x', store: false });
    await assert.rejects(client.responses.create({ model: 'gpt-5-codex', input: 'y', previous_response_id: notStored.id }), (err: { status?: number }) => err.status === 400);
  } finally {
    await h.close();
  }
});
