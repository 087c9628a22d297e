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

test('every response carries a request id, also without a request log, and each request gets its own', async () => {
  const h = await startHarness();
  try {
    const first = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody() });
    const second = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody() });
    assert.equal(first.status, 200);
    assert.match(String(first.headers['x-patchbay-request-id']), /^req_[0-9a-z]+$/);
    assert.notEqual(first.headers['x-patchbay-request-id'], second.headers['x-patchbay-request-id']);
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

test('refused requests (401, 403, 400, 413) are in the request log under the id their response names', async () => {
  const h = await startPolicyHarness({ bodyLimitBytes: 4096 });
  try {
    const refused = [
      { what: 'wrong token', status: 401, res: await call(h, '/v1/messages', { headers: { 'x-api-key': 'wrong-token-0123456789' }, body: anthropicBody() }) },
      { what: 'web origin', status: 403, res: await call(h, '/v1/chat/completions', { headers: { ...openaiAuth, origin: 'https://evil.example' }, body: openaiBody() }) },
      { what: 'bad JSON', status: 400, res: await call(h, '/v1/messages', { headers: anthropicAuth, raw: '{"model":' }) },
      { what: 'too large', status: 413, res: await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ messages: [{ role: 'user', content: 'x'.repeat(8000) }] }) }) },
    ];
    for (const { what, status, res } of refused) {
      assert.equal(res.status, status, what);
      const id = res.headers['x-patchbay-request-id'];
      assert.match(String(id), /^req_/, `${what}: the response names its entry`);
      const entry = await h.entry(String(id));
      assert.equal(entry.status, status, what);
      assert.ok(entry.error && entry.error.length > 0, `${what}: the log says why`);
    }
    assert.equal(h.nim.requests.length + h.moonshot.requests.length, 0);
  } finally {
    await h.close();
  }
});
