import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminAuth,
  anthropicAuth,
  anthropicBody,
  anthropicStreamText,
  call,
  open,
  openaiAuth,
  openaiBody,
  openaiStreamText,
  parseSse,
  startHarness,
  waitFor,
  type Harness,
} from './proxy-harness';
import { startSlowUpstream, type SlowUpstream } from './slow-upstream';
import { collect } from '../../helpers/http';
import { AFTER_FINAL_EVENT_MS } from '../../../app/proxy/request/translate';

async function withSlow(holdHeaders: boolean, run: (h: Harness, slow: SlowUpstream) => Promise<void>, neverEnd = false): Promise<void> {
  const slow = await startSlowUpstream({ holdHeaders, neverEnd });
  const h = await startHarness({
    active: 'slow',
    pingIntervalMs: 25,
    extraBackends: [{ id: 'slow', format: 'openai', baseUrl: slow.url, apiKey: 'none', model: 'slow-model' }],
  });
  try {
    await run(h, slow);
  } finally {
    await h.close();
    await slow.close();
  }
}

/** Collects a live response's text as it arrives. */

test('mid-stream drop becomes an error event (pass-through and translated), never a silent truncation', async () => {
  const h = await startHarness();
  try {
    h.moonshot.setBrain(() => ({ fail: 'drop_mid_stream', afterSteps: 1 }));
    const a = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ model: 'moonshot/claude-sonnet-4-6', stream: true }) });
    assert.equal(a.status, 200);
    const aEvents = parseSse(a.text);
    assert.equal(aEvents[aEvents.length - 1]?.event, 'error', a.text);
    assert.ok(!aEvents.some((e) => e.event === 'message_stop'));

    h.nim.setBrain(() => ({ fail: 'drop_mid_stream', afterSteps: 1 }));
    const t = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ stream: true }) });
    const tEvents = parseSse(t.text);
    assert.equal(tEvents[tEvents.length - 1]?.event, 'error', t.text);
    assert.match(JSON.parse(tEvents[tEvents.length - 1]!.data).error.message, /nim/);

    const o = await call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ stream: true }) });
    const oEvents = parseSse(o.text);
    assert.ok(!oEvents.some((e) => e.data === '[DONE]'), 'no [DONE] on a broken stream');
    assert.ok(JSON.parse(oEvents[oEvents.length - 1]!.data).error, o.text);
  } finally {
    await h.close();
  }
});

test('pings flow while the upstream is silent, before and after its headers', async () => {
  await withSlow(true, async (h, slow) => {
    const res = await open(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ stream: true }) });
    assert.equal(res.statusCode, 200);
    const body = collect(res);
    await waitFor(() => (body.text().match(/event: ping/g) ?? []).length >= 2, 'pings before the upstream answered');
    slow.releaseHeaders();
    await waitFor(() => body.text().includes('message_start'), 'message_start');
    const before = (body.text().match(/event: ping/g) ?? []).length;
    await waitFor(() => (body.text().match(/event: ping/g) ?? []).length >= before + 2, 'pings mid-stream');
    slow.releaseRest();
    await body.done;
    const events = parseSse(body.text());
    assert.equal(anthropicStreamText(events), 'hello');
    assert.equal(events[events.length - 1]?.event, 'message_stop');
  });
  await withSlow(false, async (h, slow) => {
    const res = await open(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody({ stream: true }) });
    const body = collect(res);
    await waitFor(() => (body.text().match(/^: ping$/gm) ?? []).length >= 2, 'OpenAI comment pings');
    slow.releaseRest();
    await body.done;
    assert.equal(openaiStreamText(parseSse(body.text())), 'hello');
  });
});

test('a client hang-up aborts the upstream request at once', async () => {
  await withSlow(false, async (h, slow) => {
    const res = await open(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ stream: true }) });
    const body = collect(res);
    body.done.catch(() => undefined);
    await waitFor(() => body.text().includes('hel'), 'the first delta');
    res.destroy();
    await waitFor(() => slow.sawClientClose, 'the upstream to see its connection close');
  });
});

test('switching the active backend mid-stream: the stream finishes where it started, the next request goes to the new one', async () => {
  await withSlow(false, async (h, slow) => {
    const res = await open(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ stream: true }) });
    const body = collect(res);
    await waitFor(() => body.text().includes('hel'), 'the first delta');
    const put = await call(h, '/api/active', { method: 'PUT', headers: adminAuth, body: { backend: 'moonshot' } });
    assert.equal(put.status, 200, put.text);
    assert.equal((put.json() as { active: string }).active, 'moonshot');
    slow.releaseRest();
    await body.done;
    assert.equal(anthropicStreamText(parseSse(body.text())), 'hello');
    assert.equal(slow.received, 1);

    const next = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody() });
    assert.equal(next.status, 200, next.text);
    assert.equal(h.moonshot.requests.length, 1);
    assert.equal(slow.received, 1);
  });
});

test('translated streams give their upstream connection back: five streams in a row use one connection', async () => {
  const h = await startHarness();
  try {
    for (let i = 0; i < 5; i++) {
      const r = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ stream: true }) });
      assert.equal(r.status, 200);
      assert.equal(parseSse(r.text).at(-1)?.event, 'message_stop', r.text);
    }
    // The client has its answer at the final event; the upstream's `[DONE]` and the end of its
    // body are still read, so the connection is not cut (a new TCP connection per request).
    assert.equal(h.nim.connections(), 1, `${h.nim.connections()} upstream connections for 5 sequential streams`);
    assert.equal(h.nim.requests.length, 5);
  } finally {
    await h.close();
  }
});

test('an upstream that never ends its body after the final event: the client has its answer at once, the connection is cut after a grace', async () => {
  await withSlow(
    false,
    async (h, slow) => {
      slow.releaseRest();
      const r = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ model: 'slow/slow-model', stream: true }) });
      assert.equal(r.status, 200);
      assert.equal(parseSse(r.text).at(-1)?.event, 'message_stop', r.text);
      assert.equal(anthropicStreamText(parseSse(r.text)), 'hello');
      await waitFor(() => slow.sawClientClose, 'the proxy to cut the upstream that did not end', AFTER_FINAL_EVENT_MS + 4000);
    },
    true,
  );
});
