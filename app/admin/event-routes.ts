/**
 * Live numbers as Server-Sent Events: `GET /api/events` sends `event: stats` with a snapshot
 * at once, then a snapshot whenever the stats change (coalesced by LiveStats to a few per
 * second), and a heartbeat comment every `heartbeatMs` so proxies and clients keep the line open.
 * A slow client never queues more than one pending snapshot (the newest). Disconnects and
 * server shutdown unsubscribe and stop timers. Auth (the admin token) is applied by the caller.
 */
import type { FastifyInstance } from 'fastify';
import type { LiveStats, StatsSnapshot } from '../stats/live-stats';

export interface EventRoutesOptions {
  stats: Pick<LiveStats, 'snapshot' | 'subscribe'>;
  /** Default 15 s. */
  heartbeatMs?: number;
}

function statsEvent(snapshot: StatsSnapshot): string {
  return `event: stats\ndata: ${JSON.stringify(snapshot)}\n\n`;
}

export async function registerEventRoutes(app: FastifyInstance, options: EventRoutesOptions): Promise<void> {
  const { stats, heartbeatMs = 15_000 } = options;
  /** Each open stream's cleanup: unsubscribes, stops its heartbeat, ends the response. */
  const openStreams = new Set<() => void>();

  // Open streams would keep server.close() waiting: end them first.
  app.addHook('preClose', async () => {
    for (const cleanup of [...openStreams]) cleanup();
  });

  app.get('/api/events', async (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });

    let closed = false;
    let blocked = false;
    let pendingSnapshot: StatsSnapshot | undefined;

    const write = (text: string): void => {
      if (closed) return;
      if (!res.write(text)) blocked = true;
    };
    const sendSnapshot = (snapshot: StatsSnapshot): void => {
      if (blocked) pendingSnapshot = snapshot; // keep only the newest while the client catches up
      else write(statsEvent(snapshot));
    };
    const onDrain = (): void => {
      blocked = false;
      const next = pendingSnapshot;
      pendingSnapshot = undefined;
      if (next) sendSnapshot(next);
    };

    const unsubscribe = stats.subscribe(sendSnapshot);
    const heartbeat = setInterval(() => {
      if (!blocked) write(': heartbeat\n\n');
    }, heartbeatMs);
    heartbeat.unref();

    const cleanup = (): void => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      res.off('drain', onDrain);
      openStreams.delete(cleanup);
      if (!res.writableEnded) res.end();
    };

    openStreams.add(cleanup);
    res.on('drain', onDrain);
    res.on('close', cleanup);
    request.raw.on('error', cleanup);

    write('retry: 3000\n\n');
    sendSnapshot(stats.snapshot());
  });
}
