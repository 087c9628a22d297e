import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  anthropicAuth,
  anthropicBody,
  anthropicStreamText,
  call,
  CLIENT_TOKEN,
  openaiAuth,
  openaiBody,
  openaiStreamText,
  parseSse,
  startHarness,
  type Harness,
} from './proxy-harness';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

function lastRequest(fake: Harness['nim']) {
  const last = fake.requests[fake.requests.length - 1];
  assert.ok(last, 'the fake saw a request');
  assert.equal(last.rejected, undefined, `the fake accepted the request (${last.rejected})`);
  return last;
}

test('Anthropic client -> Anthropic backend (pass-through), not streaming', async () => {
  const r = await call(h, '/v1/messages?beta=true', {
    headers: { ...anthropicAuth, 'anthropic-beta': 'claude-code-20250219' },
    body: anthropicBody({ model: 'moonshot/claude-opus-4-7', max_tokens: 64000, temperature: 0.5 }),
  });
  assert.equal(r.status, 200, r.text);
  const msg = r.json() as { type: string; content: Array<{ type: string; text?: string }> };
  assert.equal(msg.type, 'message');
  assert.equal(msg.content[0]?.text, 'ok');
  const up = lastRequest(h.moonshot);
  assert.equal(up.body.model, 'kimi-k2.6');
  assert.equal(up.body.max_tokens, 32000, 'clamped to maxOutputTokens');
  assert.equal(up.headers['x-api-key'], h.moonshot.key);
  assert.equal(up.headers['authorization'], `Bearer ${h.moonshot.key}`);
  assert.equal(up.headers['anthropic-beta'], 'claude-code-20250219');
  assert.ok(!JSON.stringify(up.headers).includes(CLIENT_TOKEN), 'client token never forwarded');
});

test('Anthropic client -> Anthropic backend (pass-through), streaming', async () => {
  const r = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ model: 'moonshot/claude-sonnet-4-6', stream: true }) });
  assert.equal(r.status, 200, r.text);
  assert.match(String(r.headers['content-type']), /text\/event-stream/);
  const events = parseSse(r.text);
  assert.equal(events[0]?.event, 'message_start');
  assert.equal(events[events.length - 1]?.event, 'message_stop');
  assert.equal(anthropicStreamText(events), 'ok');
});

test('OpenAI client -> OpenAI backend (pass-through), not streaming and streaming', async () => {
  const r = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ temperature: 0.2, max_tokens: 99999 }) });
  assert.equal(r.status, 200, r.text);
  const completion = r.json() as { choices: Array<{ message: { content: string } }> };
  assert.equal(completion.choices[0]?.message.content, 'ok');
  const up = lastRequest(h.nim);
  assert.equal(up.body.model, 'moonshotai/kimi-k2.6');
  assert.equal(up.body.temperature, undefined, 'fixed sampling removed');
  assert.equal(up.body.max_tokens, 16384);
  assert.equal(up.headers['authorization'], `Bearer ${h.nim.key}`);

  const s = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ stream: true }) });
  assert.equal(s.status, 200, s.text);
  const events = parseSse(s.text);
  assert.equal(events[events.length - 1]?.data, '[DONE]');
  assert.equal(openaiStreamText(events), 'ok');
});

test('Anthropic client -> OpenAI backend (translated), not streaming and streaming', async () => {
  const r = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody() });
  assert.equal(r.status, 200, r.text);
  const msg = r.json() as { type: string; model: string; content: Array<{ type: string; text?: string }> };
  assert.equal(msg.type, 'message');
  assert.equal(msg.model, 'claude-sonnet-4-6', 'the requested model is echoed');
  assert.deepEqual(msg.content.filter((b) => b.type === 'text').map((b) => b.text), ['ok']);
  assert.equal(lastRequest(h.nim).body.model, 'moonshotai/kimi-k2.6');

  const s = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ stream: true }) });
  assert.equal(s.status, 200, s.text);
  const events = parseSse(s.text);
  assert.equal(events[0]?.event, 'message_start');
  assert.equal(events[events.length - 1]?.event, 'message_stop');
  assert.equal(anthropicStreamText(events), 'ok');
});

test('OpenAI client -> Anthropic backend (translated), not streaming and streaming', async () => {
  const r = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ model: 'moonshot/kimi-k2.6' }) });
  assert.equal(r.status, 200, r.text);
  const completion = r.json() as { object: string; choices: Array<{ message: { content: string } }> };
  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.choices[0]?.message.content, 'ok');
  const up = lastRequest(h.moonshot);
  assert.equal(up.body.model, 'kimi-k2.6');
  assert.equal(up.headers['x-api-key'], h.moonshot.key);

  const s = await call(h, '/v1/chat/completions', {
    headers: openaiAuth,
    body: openaiBody({ model: 'moonshot/kimi-k2.6', stream: true, stream_options: { include_usage: true } }),
  });
  assert.equal(s.status, 200, s.text);
  const events = parseSse(s.text);
  assert.equal(events[events.length - 1]?.data, '[DONE]');
  assert.equal(openaiStreamText(events), 'ok');
});

test('tool-call round trip through the translated path (Claude Code -> NIM)', async () => {
  h.nim.setBrain((req) => {
    const messages = req.body.messages as Array<{ role: string }>;
    if (messages.some((m) => m.role === 'tool')) return { steps: [{ type: 'text', text: 'written' }] };
    return { steps: [{ type: 'reasoning', text: 'I should write the file.' }, { type: 'tool_call', name: 'Write', arguments: { file_path: '/tmp/a.txt', content: 'hi' } }] };
  });
  try {
    const tools = [{ name: 'Write', description: 'write a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' }, content: { type: 'string' } }, required: ['file_path', 'content'] } }];
    const first = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ tools, stream: true }) });
    assert.equal(first.status, 200, first.text);
    const events = parseSse(first.text);
    const starts = events.filter((e) => e.event === 'content_block_start').map((e) => JSON.parse(e.data).content_block);
    const toolUse = starts.find((b: { type: string }) => b.type === 'tool_use') as { id: string; name: string };
    assert.ok(toolUse, 'a tool_use block was streamed');
    assert.equal(toolUse.name, 'Write');
    assert.match(toolUse.id, /^[a-zA-Z0-9_-]+$/, 'tool id legal for Anthropic');
    const thinking = events
      .filter((e) => e.event === 'content_block_delta' && JSON.parse(e.data).delta.type === 'thinking_delta')
      .map((e) => JSON.parse(e.data).delta.thinking)
      .join('');
    const inputJson = events
      .filter((e) => e.event === 'content_block_delta' && JSON.parse(e.data).delta.type === 'input_json_delta')
      .map((e) => JSON.parse(e.data).delta.partial_json)
      .join('');
    const delta = events.find((e) => e.event === 'message_delta');
    assert.equal(JSON.parse(delta!.data).delta.stop_reason, 'tool_use');

    const second = await call(h, '/v1/messages', {
      headers: anthropicAuth,
      body: anthropicBody({
        tools,
        messages: [
          { role: 'user', content: 'hello' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking, signature: '' },
              { type: 'tool_use', id: toolUse.id, name: 'Write', input: JSON.parse(inputJson) },
            ],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'done' }] },
        ],
      }),
    });
    assert.equal(second.status, 200, second.text);
    const up = lastRequest(h.nim);
    const assistant = up.body.messages.find((m: { role: string }) => m.role === 'assistant');
    const tool = up.body.messages.find((m: { role: string }) => m.role === 'tool');
    assert.equal(assistant.tool_calls[0].id, 'functions.Write:0', "Kimi's own id restored upstream");
    assert.equal(tool.tool_call_id, 'functions.Write:0');
    assert.equal((second.json() as { content: Array<{ text?: string }> }).content.find((b) => b.text)?.text, 'written');
  } finally {
    h.nim.setBrain(() => ({ steps: [{ type: 'text', text: 'ok' }] }));
  }
});
