// Every response the proxy writes carries its own fresh id in the client's format, on all four
// paths, streamed or whole, whatever the upstream does with its ids (repeats them, leaves them
// out). The upstream's id goes to the request log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicAuth, anthropicBody, call, openaiAuth, openaiBody, type CallResult } from '../proxy-harness';
import { startPolicyHarness } from './policy-harness';

/** The response ids a client sees in one response (every chunk's id for OpenAI streams). */
function idsOf(res: CallResult): string[] {
  if (!res.text.startsWith('{')) {
    return res.text
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => JSON.parse(l.slice(6)) as { id?: string; type?: string; message?: { id: string } })
      .flatMap((d) => (d.type === 'message_start' ? [d.message!.id] : d.type === undefined ? [String(d.id)] : []));
  }
  return [String((res.json() as { id?: string }).id)];
}

const cases = [
  { name: 'Anthropic client -> NIM (translated)', path: '/v1/messages', auth: anthropicAuth, body: anthropicBody, prefix: /^msg_[0-9A-Za-z]{24}$/, backend: 'nim' },
  { name: 'OpenAI client -> NIM (pass-through)', path: '/v1/chat/completions', auth: openaiAuth, body: openaiBody, prefix: /^chatcmpl-[0-9A-Za-z]+$/, backend: 'nim' },
  { name: 'Anthropic client -> Moonshot (pass-through)', path: '/v1/messages', auth: anthropicAuth, body: (e: Record<string, unknown> = {}) => anthropicBody({ model: 'moonshot/kimi-k2.6', ...e }), prefix: /^msg_[0-9A-Za-z]{24}$/, backend: 'moonshot' },
  { name: 'OpenAI client -> Moonshot (translated)', path: '/v1/chat/completions', auth: openaiAuth, body: (e: Record<string, unknown> = {}) => openaiBody({ model: 'moonshot/kimi-k2.6', ...e }), prefix: /^chatcmpl-[0-9A-Za-z]+$/, backend: 'moonshot' },
];

for (const nimIds of ['repeated', 'omitted'] as const) {
  test(`fresh ids on every path while the upstreams' ids are ${nimIds}; the upstream id is logged`, async () => {
    const h = await startPolicyHarness({ fakeNimResponseIds: nimIds, fakeMoonshotResponseIds: 'repeated' });
    try {
      for (const c of cases) {
        const seen = new Set<string>();
        for (const stream of [false, true, false, true]) {
          const res = await call(h, c.path, { headers: c.auth, body: c.body({ stream }) });
          assert.equal(res.status, 200, `${c.name}: ${res.text}`);
          const ids = idsOf(res);
          assert.ok(ids.length > 0, `${c.name}: ids present`);
          assert.equal(new Set(ids).size, 1, `${c.name}: one id per response`);
          assert.match(ids[0]!, c.prefix, c.name);
          assert.ok(!seen.has(ids[0]!), `${c.name}: a fresh id per response`);
          seen.add(ids[0]!);
          const entry = await h.entry(String(res.headers['x-patchbay-request-id']));
          assert.equal(entry.backend, c.backend);
          if (c.backend === 'moonshot' || nimIds === 'repeated') {
            assert.ok(entry.upstreamId && entry.upstreamId !== ids[0], `${c.name}: upstream id logged`);
            assert.ok(h.log.list({ text: entry.upstreamId, limit: 500 }).items.some((e) => e.id === entry.id), 'the log is searchable by upstream id');
          }
          else assert.equal(entry.upstreamId, undefined, `${c.name}: no upstream id is made up when the upstream gave none`);
        }
      }
    } finally {
      await h.close();
    }
  });
}
