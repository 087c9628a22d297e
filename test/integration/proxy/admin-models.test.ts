import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminAuth, anthropicAuth, call, openaiAuth, startHarness, type Harness } from './proxy-harness';

let h: Harness;
before(async () => {
  // An Anthropic-format backend whose host has no count_tokens (the NIM fake answers 404 there).
  h = await startHarness({
    extraBackends: ({ nim }) => [
      { id: 'nocount', format: 'anthropic', baseUrl: nim.url, apiKey: 'env:TEST_NIM_KEY', model: 'k' },
      { id: 'kimi-unflagged', format: 'openai', baseUrl: nim.url, apiKey: 'env:TEST_NIM_KEY', model: 'moonshotai/kimi-k2.5' },
    ],
  });
});
after(async () => h.close());

test('GET /api/state lists backends with their key status { set, last4, source } and no key material', async () => {
  const r = await call(h, '/api/state', { headers: adminAuth });
  assert.equal(r.status, 200);
  const state = r.json() as { active: string; backends: Array<Record<string, unknown>> };
  assert.equal(state.active, 'nim');
  const nim = state.backends.find((b) => b.id === 'nim')!;
  assert.deepEqual(nim.key, { set: true, last4: h.nim.key.slice(-4), source: 'env:TEST_NIM_KEY' });
  assert.equal(nim.model, 'moonshotai/kimi-k2.6');
  assert.equal(nim.apiKey, 'env:TEST_NIM_KEY', 'the key reference, never the key');
  assert.ok(!r.text.includes(h.nim.key) && !r.text.includes(h.moonshot.key));
});

test('GET /api/state names the quirk profile in force, inferred from the model when no flag says it', async () => {
  const r = await call(h, '/api/state', { headers: adminAuth });
  const state = r.json() as { backends: Array<{ id: string; quirksInForce: string }> };
  const quirks = Object.fromEntries(state.backends.map((b) => [b.id, b.quirksInForce]));
  assert.deepEqual(quirks, { nim: 'kimi', moonshot: 'kimi', nocount: 'none', 'kimi-unflagged': 'kimi' });
});

test('PUT /api/active switches, 404s an unknown id and 400s a bad body', async () => {
  const ok = await call(h, '/api/active', { method: 'PUT', headers: adminAuth, body: { backend: 'moonshot' } });
  assert.equal(ok.status, 200);
  assert.equal(h.registry.active.id, 'moonshot');
  const unknown = await call(h, '/api/active', { method: 'PUT', headers: adminAuth, body: { backend: 'ghost' } });
  assert.equal(unknown.status, 404);
  const bad = await call(h, '/api/active', { method: 'PUT', headers: adminAuth, body: { id: 'nim' } });
  assert.equal(bad.status, 400);
  assert.equal(h.registry.active.id, 'moonshot');
  h.registry.setActive('nim');
});

test('GET /v1/models answers in the caller format with <backend>/<model> ids and the active model', async () => {
  const o = await call(h, '/v1/models', { headers: openaiAuth });
  const list = o.json() as { object: string; data: Array<{ id: string; object: string }> };
  assert.equal(list.object, 'list');
  const ids = list.data.map((m) => m.id);
  assert.ok(ids.includes('moonshotai/kimi-k2.6'));
  assert.ok(ids.includes('nim/moonshotai/kimi-k2.6'));
  assert.ok(ids.includes('moonshot/kimi-k2.6'));
  assert.ok(ids.includes('moonshot/kimi-k2-turbo-preview'));

  const a = await call(h, '/v1/models', { headers: anthropicAuth });
  const page = a.json() as { data: Array<{ type: string; id: string; display_name: string }>; has_more: boolean; first_id: string };
  assert.equal(page.data[0]?.type, 'model');
  assert.equal(page.has_more, false);
  assert.equal(page.first_id, page.data[0]?.id);
});

test('count_tokens: forwarded to an Anthropic backend, estimated for an OpenAI backend', async () => {
  const body = { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'count these words please' }] };
  const estimated = await call(h, '/v1/messages/count_tokens', { headers: anthropicAuth, body });
  assert.equal(estimated.status, 200, estimated.text);
  const n = (estimated.json() as { input_tokens: number }).input_tokens;
  assert.ok(Number.isInteger(n) && n > 0);

  const before = h.moonshot.requests.length;
  const forwarded = await call(h, '/v1/messages/count_tokens', { headers: anthropicAuth, body: { ...body, model: 'moonshot/claude-sonnet-4-6' } });
  assert.equal(forwarded.status, 200, forwarded.text);
  assert.ok(typeof (forwarded.json() as { input_tokens: number }).input_tokens === 'number');
  const up = h.moonshot.requests[before];
  assert.equal(up?.path, '/anthropic/v1/messages/count_tokens');
  assert.equal(up?.rejected, undefined);
  assert.equal(up?.body.max_tokens, undefined);

  const nimBefore = h.nim.requests.length;
  const fallback = await call(h, '/v1/messages/count_tokens', { headers: anthropicAuth, body: { ...body, model: 'nocount/claude-sonnet-4-6' } });
  assert.equal(fallback.status, 200, fallback.text);
  assert.equal((fallback.json() as { input_tokens: number }).input_tokens, n, 'estimate when the backend has no count_tokens');
  assert.equal(h.nim.requests[nimBefore]?.path, '/v1/v1/messages/count_tokens');
});

test('a Claude Code request is adapted for Moonshot: adaptive thinking, system messages, attribution', async () => {
  const body = {
    model: 'moonshot/claude-opus-4-7',
    max_tokens: 32000,
    stream: true,
    thinking: { type: 'adaptive' },
    output_config: { effort: 'high' },
    context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    system: [
      { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197; cc_entrypoint=cli' },
      { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
    ],
    messages: [
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: '' }, { type: 'text', text: 'hi' }] },
      { role: 'system', content: 'Available agent types: general-purpose' },
      { role: 'user', content: 'go on' },
    ],
  };
  const before = h.moonshot.requests.length;
  const r = await call(h, '/v1/messages?beta=true', { headers: { ...anthropicAuth, 'anthropic-beta': 'mid-conversation-system-2026-04-07' }, body });
  assert.equal(r.status, 200, r.text);
  const up = h.moonshot.requests[before]!;
  assert.equal(up.rejected, undefined, up.rejected);
  assert.equal(up.body.thinking.type, 'enabled');
  assert.ok(up.body.thinking.budget_tokens < up.body.max_tokens);
  assert.equal(up.body.output_config, undefined);
  assert.equal(up.body.context_management, undefined);
  assert.deepEqual(up.body.system.map((b: { text: string }) => b.text), ['You are Claude Code.']);
  assert.deepEqual(up.body.messages.map((m: { role: string }) => m.role), ['user', 'assistant', 'user']);
  assert.equal(up.body.messages[1].content[0].type, 'thinking', 'unsigned thinking kept for Kimi');
  assert.match(JSON.stringify(up.body.messages[2].content), /<system-reminder>\\nAvailable agent types: general-purpose\\n<\/system-reminder>/);
});
