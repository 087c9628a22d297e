// NIM's hosted Kimi has a smaller window than Claude Code's max_tokens (32-64K) assume. When
// the prompt fits and only prompt + max_tokens does not, the proxy sends the request again with
// a max_tokens that fits instead of telling Claude Code its prompt is too long (it would compact
// a conversation that fits). A prompt that really does not fit still gets "prompt is too long".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicAuth, anthropicBody, call, openaiAuth, openaiBody, startHarness } from './proxy-harness';

const WINDOW = 40_000;

test('translated: prompt fits, max_tokens does not -> sent again with a max_tokens that fits', async () => {
  const h = await startHarness({ nimContextWindow: WINDOW, nimOverrides: { maxOutputTokens: 64_000 } });
  try {
    h.nim.setBrain(() => ({ steps: [{ type: 'text', text: 'fits now' }] }));
    const res = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ max_tokens: 64_000 }) });
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /fits now/);
    const [first, second] = h.nim.requests;
    assert.equal(first?.rejected, 'context window exceeded');
    assert.equal(first?.body.max_tokens, 64_000);
    assert.equal(second?.rejected, undefined);
    assert.ok(second!.body.max_tokens < WINDOW && second!.body.max_tokens >= 1024, `lowered to ${second?.body.max_tokens}`);
  } finally {
    await h.close();
  }
});

test('pass-through (OpenAI client): the same refit, streaming', async () => {
  const h = await startHarness({ nimContextWindow: WINDOW, nimOverrides: { maxOutputTokens: 64_000 } });
  try {
    h.nim.setBrain(() => ({ steps: [{ type: 'text', text: 'streamed fit' }] }));
    const res = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ max_completion_tokens: 50_000, stream: true }) });
    assert.equal(res.status, 200, res.text);
    const text = res.text
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => (JSON.parse(l.slice(6)) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content ?? '')
      .join('');
    assert.equal(text, 'streamed fit');
    assert.equal(h.nim.requests.length, 2);
    assert.ok(h.nim.requests[1]!.body.max_completion_tokens < WINDOW);
  } finally {
    await h.close();
  }
});

test('a prompt that itself does not fit is not retried: Claude Code gets "prompt is too long"', async () => {
  const h = await startHarness({ nimContextWindow: 2_000 });
  try {
    const long = 'word '.repeat(12_000);
    const res = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ messages: [{ role: 'user', content: long }] }) });
    assert.equal(res.status, 400);
    const body = res.json() as { error: { type: string; message: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /^prompt is too long: \d+ tokens > 2000 maximum/);
    assert.equal(h.nim.requests.length, 1, 'no pointless second try');
  } finally {
    await h.close();
  }
});
