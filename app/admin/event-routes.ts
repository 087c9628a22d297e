/**
 * The admin API's events as Server-Sent Events: `GET /api/events` sends each event as
 * `event: <name>` + `data: <json>` (the current `stats` at once, then stats, stateChanged,
 * requestStarted / requestUpdated / requestFinished as they happen), and a heartbeat comment
 * every `heartbeatMs` so proxies and clients keep the line open. A slow client never queues
 * more than the newest stats, the newest state and the newest of each request. Disconnects
 * and server shutdown unsubscribe and stop timers. Auth (the admin token) is applied by the caller.
 */
import type { FastifyInstance } from 'fastify';
import type { AdminApi, AdminEvent } from '../api/contract';

export interface EventRoutesOptions {
  events: Pick<AdminApi, 'subscribe'>;
  /** Default 15 s. */
  heartbeatMs?: number;
}

function sseFrame(event: AdminEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** While the client is slow: one slot per kind (stats, state) or per request id, newest wins, in order. */
function backlogKey(event: AdminEvent): string {
  if (event.type === 'stats' || event.type === 'stateChanged') return event.type;
  return `request:${event.data.id}:${event.type === 'requestFinished' ? 'finished' : 'live'}`;
}

export async function registerEventRoutes(app: FastifyInstance, options: EventRoutesOptions): Promise<void> {
  const { events, heartbeatMs = 15_000 } = options;
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
    const backlog = new Map<string, AdminEvent>();

    const write = (text: string): void => {
      if (closed) return;
      if (!res.write(text)) blocked = true;
    };
    const send = (event: AdminEvent): void => {
      if (!blocked) return write(sseFrame(event));
      const key = backlogKey(event);
      backlog.delete(key); // re-inserted last: the order of what is sent stays the order of events
      backlog.set(key, event);
    };
    const onDrain = (): void => {
      blocked = false;
      while (!blocked && backlog.size > 0) {
        const [key, event] = backlog.entries().next().value as [string, AdminEvent];
        backlog.delete(key);
        write(sseFrame(event));
      }
    };

    write('retry: 3000\n\n');
    const unsubscribe = events.subscribe(send);
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
  });
}
