import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { anthropicAuth, anthropicBody, call, openaiAuth, openaiBody, startHarness } from '../proxy-harness';
import { MOONSHOT_KEY, NIM_KEY, startPolicyHarness } from './policy-harness';

test('x-patchbay-request-id names the log entry, with tokens from the upstream usage (translated and pass-through paths)', async () => {
  const h = await startPolicyHarness({ keepBodies: true });
  try {
    h.nim.setBrain(() => ({ steps: [{ type: 'text', text: 'from nim' }], usage: { input: 11, output: 7, cached: 3 } }));
    h.moonshot.setBrain(() => ({ steps: [{ type: 'text', text: 'from moonshot' }], usage: { input: 21, output: 5, cached: 2 } }));
    const ua = { 'user-agent': 'claude-cli/2.1.197 (external, cli)' };

    // Translated, streamed: Anthropic client -> NIM.
    const translatedStream = await call(h, '/v1/messages', { headers: { ...anthropicAuth, ...ua }, body: anthropicBody({ stream: true }) });
    // Translated, whole: OpenAI client -> Moonshot (pinned).
    const translatedWhole = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ model: 'moonshot/kimi-k2.6' }) });
    // Pass-through, streamed: Anthropic client -> Moonshot.
    const passStream = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ model: 'moonshot/claude-sonnet-4-6', stream: true }) });
    // Pass-through, whole and streamed with the usage chunk: OpenAI client -> NIM.
    const passWhole = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody() });
    const passChunk = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ stream: true, stream_options: { include_usage: true } }) });

    const expected = [
      { res: translatedStream, backend: 'nim', tokens: { input: 11, output: 7, cached: 3 }, format: 'anthropic' },
      { res: translatedWhole, backend: 'moonshot', tokens: { input: 21, output: 5, cached: 2 }, format: 'openai' },
      { res: passStream, backend: 'moonshot', tokens: { input: 21, output: 5, cached: 2 }, format: 'anthropic' },
      { res: passWhole, backend: 'nim', tokens: { input: 11, output: 7, cached: 3 }, format: 'openai' },
      { res: passChunk, backend: 'nim', tokens: { input: 11, output: 7, cached: 3 }, format: 'openai' },
    ];
    const ids = new Set<string>();
    for (const { res, backend, tokens, format } of expected) {
      assert.equal(res.status, 200, res.text);
      const id = res.headers['x-patchbay-request-id'];
      assert.equal(typeof id, 'string');
      ids.add(String(id));
      const entry = await h.entry(String(id));
      assert.equal(entry.id, id);
      assert.equal(entry.backend, backend);
      assert.deepEqual(entry.tokens, tokens, `${backend} ${format}`);
      assert.equal(entry.inboundFormat, format);
      assert.equal(entry.status, 200);
      assert.ok(entry.bytesIn > 0 && entry.bytesOut > 0);
      assert.ok(entry.ttftMs !== undefined);
      assert.ok(entry.bodies?.request && entry.bodies.upstreamRequest && entry.bodies.response, 'bodies kept when the log keeps them');
    }
    assert.equal(ids.size, expected.length);
    const first = await h.entry(String(translatedStream.headers['x-patchbay-request-id']));
    assert.equal(first.agent, 'claude-code');
    assert.equal(first.modelRequested, 'claude-sonnet-4-6');
    assert.equal(first.modelUsed, 'moonshotai/kimi-k2.6');
    assert.equal(first.streamed, true);

    const tokens = h.stats.snapshot().backends.find((b) => b.backend === 'nim')?.tokens;
    assert.deepEqual(tokens, { input: 33, output: 21, cached: 9 });

    await h.log.flush();
    const files = readdirSync(h.log.dir);
    assert.ok(files.length > 0);
    for (const file of files) {
      const text = readFileSync(join(h.log.dir, file), 'utf8');
      assert.ok(!text.includes(NIM_KEY) && !text.includes(MOONSHOT_KEY), 'no key in the log');
    }
    assert.ok(!JSON.stringify(h.stats.snapshot()).includes('SECRET'));
  } finally {
    await h.close();
  }
});

test('without a request log the proxy sends no request id', async () => {
  const h = await startHarness();
  try {
    const res = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody() });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-patchbay-request-id'], undefined);
  } finally {
    await h.close();
  }
});

test('an OpenAI client streaming without include_usage still gets its tokens logged, and no usage chunk it did not ask for', async () => {
  const h = await startPolicyHarness({});
  try {
    h.nim.setBrain(() => ({ steps: [{ type: 'text', text: 'from nim' }], usage: { input: 13, output: 4, cached: 1 } }));
    const res = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ stream: true }) });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(h.nim.requests.at(-1)?.body.stream_options, { include_usage: true }, 'the upstream was asked for usage');
    const chunks = res.text
      .split('\n')
      .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
      .map((l) => JSON.parse(l.slice(6)) as { choices: unknown[] });
    assert.ok(chunks.length > 0);
    assert.ok(chunks.every((c) => c.choices.length > 0), 'no usage-only chunk reached a client that did not ask');
    assert.ok(res.text.includes('from nim') || chunks.length > 1);
    assert.match(res.text, /data: \[DONE\]/);
    const entry = await h.entry(String(res.headers['x-patchbay-request-id']));
    assert.deepEqual(entry.tokens, { input: 13, output: 4, cached: 1 });
  } finally {
    await h.close();
  }
});
