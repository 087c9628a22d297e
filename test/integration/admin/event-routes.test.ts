import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';
import { registerEventRoutes } from '../../../app/admin/event-routes';
import { EventHub } from '../../../app/api/event-hub';
import { LiveStats } from '../../../app/stats/live-stats';
import type { StatsSnapshot } from '../../../app/stats/live-stats';

/** The stats events of an EventHub as SSE; `subscribers()` counts the open streams' subscriptions. */
async function startServer(stats: LiveStats, heartbeatMs?: number): Promise<{ app: FastifyInstance; url: string; subscribers: () => number }> {
  const hub = new EventHub({ stats });
  let subscribers = 0;
  const events = {
    subscribe: (listener: Parameters<EventHub['subscribe']>[0]) => {
      subscribers += 1;
      const off = hub.subscribe(listener);
      return () => {
        subscribers -= 1;
        off();
      };
    },
  };
  // forceCloseConnections: fetch's pooled keep-alive sockets would otherwise hold close() for seconds.
  const app = Fastify({ forceCloseConnections: true });
  await app.register(registerEventRoutes, { events, ...(heartbeatMs ? { heartbeatMs } : {}) });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `${address}/api/events`, subscribers: () => subscribers };
}

/** Reads an SSE response on a real socket; everything it saw is kept for assertions. */
class SseClient {
  readonly events: EventSourceMessage[] = [];
  readonly comments: string[] = [];
  status = 0;
  contentType = '';
  ended = false;
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();

  async connect(url: string): Promise<void> {
    const res = await fetch(url, { signal: this.abort.signal });
    this.status = res.status;
    this.contentType = res.headers.get('content-type') ?? '';
    const parser = createParser({
      onEvent: (e) => this.events.push(e),
      onComment: (c) => this.comments.push(c),
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    this.done = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
      } catch {
        // aborted by us
      } finally {
        this.ended = true;
      }
    })();
  }

  snapshots(): StatsSnapshot[] {
    return this.events.filter((e) => e.event === 'stats').map((e) => JSON.parse(e.data) as StatsSnapshot);
  }

  async waitFor(what: string, predicate: () => boolean, timeoutMs = 3000): Promise<void> {
    for (let waited = 0; !predicate(); waited += 10) {
      if (waited >= timeoutMs) assert.fail(`timed out waiting for ${what}`);
      await sleep(10);
    }
  }

  async disconnect(): Promise<void> {
    this.abort.abort();
    await this.done;
  }

  async finished(): Promise<void> {
    await this.done;
  }
}

test('sends the first snapshot at once, then an update after a change', async () => {
  const stats = new LiveStats({ backends: [{ id: 'nim', rpm: 40 }] });
  const { app, url } = await startServer(stats);
  const client = new SseClient();
  try {
    await client.connect(url);
    assert.equal(client.status, 200);
    assert.match(client.contentType, /^text\/event-stream/);
    await client.waitFor('first snapshot', () => client.snapshots().length >= 1);
    const first = client.snapshots()[0]!;
    assert.equal(first.backends[0]?.backend, 'nim');
    assert.equal(first.backends[0]?.rpmLimit, 40);
    assert.equal(first.backends[0]?.inFlight, 0);

    stats.attemptStarted('nim');
    await client.waitFor('update', () => client.snapshots().some((s) => s.backends[0]?.inFlight === 1));
  } finally {
    await client.disconnect();
    await app.close();
    stats.close();
  }
});

test('a burst of changes yields at most one event per emit interval', async () => {
  const intervalMs = 250;
  const stats = new LiveStats({ emitIntervalMs: intervalMs });
  const { app, url } = await startServer(stats);
  const client = new SseClient();
  try {
    await client.connect(url);
    await client.waitFor('first snapshot', () => client.snapshots().length >= 1);
    const before = client.snapshots().length;
    const started = performance.now();
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 50; i++) stats.queueEntered('nim');
      await sleep(15);
    }
    const elapsed = performance.now() - started;
    await client.waitFor('final state', () => client.snapshots().some((s) => s.backends[0]?.queued === 2000));
    const total = performance.now() - started;
    const during = client.snapshots().length - before;
    // 2000 changes over `elapsed` ms: the coalescer may emit once at the start of each interval.
    const allowed = Math.ceil(total / intervalMs) + 1;
    assert.ok(during >= 2, `updates arrived during the burst (${during})`);
    assert.ok(during <= allowed, `${during} events for 2000 changes over ${Math.round(elapsed)} ms (allowed ${allowed})`);
  } finally {
    await client.disconnect();
    await app.close();
    stats.close();
  }
});

test('heartbeat comments keep the stream alive', async () => {
  const stats = new LiveStats();
  const { app, url } = await startServer(stats, 30);
  const client = new SseClient();
  try {
    await client.connect(url);
    await client.waitFor('two heartbeats', () => client.comments.filter((c) => c.includes('heartbeat')).length >= 2);
  } finally {
    await client.disconnect();
    await app.close();
    stats.close();
  }
});

test('the listener is removed when the client disconnects', async () => {
  const stats = new LiveStats();
  const { app, url, subscribers } = await startServer(stats);
  const a = new SseClient();
  const b = new SseClient();
  try {
    await a.connect(url);
    await b.connect(url);
    await a.waitFor('both subscribed', () => subscribers() === 2);
    assert.equal(stats.listenerCount, 1, 'the hub follows the stats once for all its subscribers');
    await a.disconnect();
    await b.waitFor('one listener left', () => subscribers() === 1);
    assert.equal(stats.listenerCount, 1);
    // The remaining client still gets updates.
    stats.attemptStarted('nim');
    await b.waitFor('update for b', () => b.snapshots().some((s) => s.backends[0]?.inFlight === 1));
    await b.disconnect();
    await b.waitFor('no listeners', () => subscribers() === 0 && stats.listenerCount === 0);
  } finally {
    await app.close();
    stats.close();
  }
});

test('closing the server ends open streams and unsubscribes them', async () => {
  const stats = new LiveStats();
  const { app, url } = await startServer(stats);
  const client = new SseClient();
  await client.connect(url);
  await client.waitFor('subscribed', () => stats.listenerCount === 1);
  await app.close();
  await client.finished();
  assert.equal(client.ended, true);
  assert.equal(stats.listenerCount, 0);
  stats.close();
});
