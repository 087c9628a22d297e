// A backend may name `overflowTo`: a prompt that does not fit its context window goes there
// instead (by the proxy's estimate before sending, or when the upstream refuses it as too long),
// logged and counted as such; without a usable overflow backend the client gets "prompt is too long".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicAuth, anthropicBody, call, openaiAuth, openaiBody } from '../proxy-harness';
import { startPolicyHarness } from './policy-harness';

/** About 3,000 tokens by any estimate (12,000 characters of words). */
const LONG_PROMPT = 'the quick brown fox jumps over the lazy dog '.repeat(280);

test('a prompt over the window (by the estimate) goes to overflowTo, logged and counted; nothing reaches the small backend', async () => {
  const h = await startPolicyHarness({ nimOverrides: { contextWindow: 1000, overflowTo: 'moonshot' } });
  try {
    h.moonshot.setBrain(() => ({ steps: [{ type: 'text', text: 'from moonshot' }] }));
    const res = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ messages: [{ role: 'user', content: LONG_PROMPT }] }) });
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /from moonshot/);
    assert.equal(h.nim.requests.length, 0, 'the small backend was not asked');
    const entry = await h.entry(String(res.headers['x-patchbay-request-id']));
    assert.equal(entry.backend, 'moonshot');
    assert.equal(entry.overflowFrom, 'nim');
    assert.equal(h.stats.snapshot().backends.find((b) => b.backend === 'nim')?.overflows, 1);
    assert.equal(h.stats.snapshot().backends.find((b) => b.backend === 'nim')?.lastOverflowTo, 'moonshot');

    // A prompt that fits stays where it is.
    const small = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody() });
    assert.equal(small.status, 200, small.text);
    assert.equal((await h.entry(String(small.headers['x-patchbay-request-id']))).backend, 'nim');
  } finally {
    await h.close();
  }
});

test('a prompt the upstream refuses as too long goes to overflowTo (OpenAI client, streaming)', async () => {
  // The proxy does not know NIM's window; the fake NIM enforces one, as vLLM does.
  const h = await startPolicyHarness({ fakeNimContextWindow: 1000, nimOverrides: { overflowTo: 'moonshot' } });
  try {
    h.moonshot.setBrain(() => ({ steps: [{ type: 'text', text: 'long answer' }] }));
    const res = await call(h, '/v1/chat/completions', {
      headers: openaiAuth,
      body: openaiBody({ stream: true, messages: [{ role: 'user', content: LONG_PROMPT }] }),
    });
    assert.equal(res.status, 200, res.text);
    const content = res.text
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => (JSON.parse(l.slice(6)) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content ?? '')
      .join('');
    assert.equal(content, 'long answer');
    assert.match(res.text, /data: \[DONE\]/);
    assert.equal(h.nim.requests.length, 1, 'NIM was asked once and refused');
    assert.equal(h.moonshot.requests.length, 1);
    const entry = await h.entry(String(res.headers['x-patchbay-request-id']));
    assert.equal(entry.backend, 'moonshot');
    assert.equal(entry.overflowFrom, 'nim');
  } finally {
    await h.close();
  }
});

test('without a key on the overflow backend, Claude Code gets "prompt is too long" (so it compacts)', async () => {
  const h = await startPolicyHarness({
    nimOverrides: { contextWindow: 1000, overflowTo: 'moonshot' },
    moonshotOverrides: { apiKey: 'env:PB_TEST_NOT_SET' },
  });
  try {
    const res = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ messages: [{ role: 'user', content: LONG_PROMPT }] }) });
    assert.equal(res.status, 400, res.text);
    assert.match(JSON.parse(res.text).error.message, /^prompt is too long: \d+ tokens > 1000 maximum/);
    assert.equal(h.moonshot.requests.length, 0);
    assert.equal(h.nim.requests.length, 0);
  } finally {
    await h.close();
  }
});

test('the overflow backend is used once: a prompt too long for it too is answered, not bounced on', async () => {
  const h = await startPolicyHarness({
    fakeNimContextWindow: 1000,
    nimOverrides: { overflowTo: 'moonshot' },
    moonshotOverrides: { contextWindow: 1500, overflowTo: 'nim' },
  });
  try {
    const res = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ messages: [{ role: 'user', content: LONG_PROMPT }] }) });
    assert.equal(res.status, 400, res.text);
    assert.match(JSON.parse(res.text).error.message, /^prompt is too long/);
    assert.equal(h.moonshot.requests.length, 0, 'the estimate says it does not fit Moonshot either');
  } finally {
    await h.close();
  }
});
