/**
 * Regression, found by the stream fuzzer (test/property/codecs/upstream-streams.test.ts, seed
 * 1239869111, damage `[{"kind":"line-endings","style":"\r"}]`): an upstream SSE stream whose
 * lines end with a lone CR (legal SSE) ends "...message_stop}\r\r". eventsource-parser holds the
 * last CR waiting for a possible LF, and `reset({consume: true})` does not take it as a line end,
 * so the final event was never read: a complete answer reached the client as "the upstream closed
 * the stream before the message finished". The same lone CR hid message_stop from the
 * pass-through path's end-of-stream check, which then appended an error event to a finished
 * stream. Through a real proxy socket, crossed formats and pass-through.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, CLIENT_TOKEN, openaiAuth, parseSse, startHarness, type Harness } from '../../integration/proxy/proxy-harness';

const crOnly = readFileSync(new URL('../../fixtures/anthropic/stream-text-thinking-tools.sse', import.meta.url), 'utf8').replace(/\r?\n/g, '\r');

let upstream: Server;
let h: Harness;
before(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(crOnly);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const port = (upstream.address() as AddressInfo).port;
  h = await startHarness({
    active: 'cr',
    extraBackends: [{ id: 'cr', format: 'anthropic', baseUrl: `http://127.0.0.1:${port}/anthropic`, apiKey: 'env:CR_KEY', model: 'claude-sonnet-4-5' }],
    env: { CR_KEY: 'sk-cr-only-key-0123456789' },
  });
});
after(async () => {
  await h.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

test('a complete upstream stream with CR-only line endings reaches an OpenAI client finished, not as an error', async () => {
  const r = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'list files' }] } });
  assert.equal(r.status, 200);
  const events = parseSse(r.text);
  assert.equal(events.at(-1)?.data, '[DONE]', r.text.slice(-500));
  assert.ok(!events.some((e) => e.data.includes('"error"')), 'no error event');
  const finish = events.map((e) => (e.data === '[DONE]' ? undefined : (JSON.parse(e.data) as { choices?: Array<{ finish_reason?: string | null }> }).choices?.[0]?.finish_reason)).filter(Boolean);
  assert.deepEqual(finish, ['tool_calls']);
});

test('the same CR-only stream relayed to an Anthropic client (pass-through) ends with its own message_stop and no error', async () => {
  const r = await call(h, '/v1/messages', {
    headers: { 'x-api-key': CLIENT_TOKEN, 'anthropic-version': '2023-06-01' },
    body: { model: 'claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'list files' }] },
  });
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /event: error/, r.text.slice(-300));
  assert.match(r.text, /message_stop/);
});
