import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { ManualClock } from '../../../app/limits/manual-clock';
import { anthropicAuth, anthropicBody, call, open, openaiAuth, openaiBody, parseSse, waitFor, type CallResult } from '../proxy/proxy-harness';
import { startPolicyHarness } from '../proxy/policy/policy-harness';
import { collect } from '../../helpers/http';

// The proxy's pacing seen from clients (GCRA, docs/adr/0004): at rpm 4 (burst 1) one start
// every 15 s, never a minute's budget at once. Replaces test/integration/proxy/policy/pacing.test.ts,
// written for the former 60 s sliding window (rounds of 4 starts a minute).
const RPM = 4;
const INTERVAL_MS = 60_000 / RPM;


test('a burst of 3x the upstream rpm is spread evenly: one start per 60000/rpm ms, no 429 reaches the client, queued streams get pings, each entry has its queue wait', async () => {
  const clock = new ManualClock(Date.now());
  const h = await startPolicyHarness({
    clock,
    fakeNimRpm: RPM,
    nimOverrides: { rpm: RPM },
    maxQueueWaitMs: 180_000,
    pingIntervalMs: 20,
  });
  try {
    const total = 3 * RPM;
    const pending: Array<Promise<CallResult>> = [];
    for (let i = 0; i < total - 1; i++) {
      pending.push(
        i % 2 === 0
          ? call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody(i % 4 === 0 ? { stream: true } : {}) })
          : call(h, '/v1/chat/completions', { headers: openaiAuth, body: openaiBody() }),
      );
    }
    // The last one streams and is watched live: it must get pings while it waits in the queue.
    const lastRes = await new Promise<IncomingMessage>((resolve, reject) => {
      waitFor(() => h.limiter.stats('nim').queued === total - 2, 'the burst to queue')
        .then(() => open(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody({ stream: true }) }))
        .then(resolve, reject);
    });
    const last = collect(lastRes);

    for (let sent = 1; sent <= total; sent++) {
      await waitFor(
        () => h.nim.requests.length === sent && h.limiter.stats('nim').queued === total - sent,
        `${sent} sent upstream at ${(sent - 1) * INTERVAL_MS} ms`,
      );
      if (sent === 1) await waitFor(() => last.text().includes('event: ping'), 'a ping to the queued stream');
      if (sent < total) await clock.advance(INTERVAL_MS);
    }
    const results = [...(await Promise.all(pending))];
    await last.done;

    assert.deepEqual(
      results.map((r) => r.status),
      results.map(() => 200),
    );
    assert.equal(lastRes.statusCode, 200);
    const lastEvents = parseSse(last.text());
    assert.equal(lastEvents[0]?.event, 'ping', 'pings came before the answer');
    assert.equal(lastEvents[lastEvents.length - 1]?.event, 'message_stop');
    assert.deepEqual(
      h.nim.requests.filter((r) => r.rejected),
      [],
      'the fake NIM never had to refuse a request',
    );

    const ids = [...results.map((r) => r.headers['x-patchbay-request-id']), lastRes.headers['x-patchbay-request-id']];
    const entries = await Promise.all(ids.map((id) => h.entry(String(id))));
    assert.deepEqual(
      entries.map((e) => e.queueWaitMs).sort((a, b) => a - b),
      [...Array(total).keys()].map((i) => i * INTERVAL_MS),
    );
    for (const e of entries) {
      assert.equal(e.status, 200);
      assert.equal(e.backend, 'nim');
      assert.equal(e.retries, 0);
    }
    const nimStats = h.stats.snapshot().backends.find((b) => b.backend === 'nim');
    assert.equal(nimStats?.requests, total);
    assert.equal(nimStats?.rateLimited, 0);
    assert.equal(nimStats?.queued, 0);
    assert.equal(nimStats?.inFlight, 0);
  } finally {
    await h.close();
  }
});
