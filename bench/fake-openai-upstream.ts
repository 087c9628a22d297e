/**
 * A deliberately minimal OpenAI Chat Completions upstream for benchmarks: node:http, canned
 * answers, no validation. It reads the whole request body (so upload cost is paid as with a
 * real upstream) and decides streaming vs not by a substring test instead of parsing JSON,
 * so its own cost is small and the same for every target.
 *
 * Streaming has two paces, switchable at run time:
 * - `burst` (latency runs): all chunks written at once after the first one;
 * - `paced` (concurrency runs): `chunkCount` content chunks, one every `intervalMs`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StreamPace {
  mode: 'burst' | 'paced';
  /** Content chunks per stream. */
  chunkCount: number;
  /** Gap between content chunks in paced mode, ms. */
  intervalMs: number;
}

export interface FakeUpstream {
  readonly url: string;
  readonly port: number;
  /** Requests answered so far. */
  readonly requests: number;
  /** Last request body seen with and without `"stream":true` (to build the baseline from). */
  readonly lastBodies: { stream?: string; nonStream?: string };
  pace: StreamPace;
  close(): Promise<void>;
}

const STREAM_TRUE = /"stream"\s*:\s*true/;
const MODEL = 'fake-model';
const CREATED = 1_700_000_000;

const NON_STREAM_BODY = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: CREATED,
  model: MODEL,
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'I read the file. The function returns early when the list is empty, so the bug is in the caller.' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 9000, completion_tokens: 24, total_tokens: 9024 },
});

function chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  })}\n\n`;
}

const FIRST_CHUNK = chunk({ role: 'assistant', content: '' });
const CONTENT_CHUNK = chunk({ content: 'word ' });
const TAIL =
  chunk({}, 'stop') +
  `data: ${JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    choices: [],
    usage: { prompt_tokens: 9000, completion_tokens: 100, total_tokens: 9100 },
  })}\n\n` +
  'data: [DONE]\n\n';

function answerJson(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(NON_STREAM_BODY) });
  res.end(NON_STREAM_BODY);
}

/**
 * Paced streams share one ticker: every `intervalMs` each open stream gets its next chunk.
 * One timer for all streams keeps the fake's own cost flat as concurrency grows.
 */
class PacedStreams {
  private readonly open = new Map<ServerResponse, number>();
  private timer: NodeJS.Timeout | undefined;

  add(res: ServerResponse, pace: StreamPace): void {
    this.open.set(res, 0);
    res.once('close', () => this.open.delete(res));
    this.timer ??= setInterval(() => this.tick(pace.chunkCount), pace.intervalMs);
  }

  private tick(chunkCount: number): void {
    for (const [res, sent] of this.open) {
      if (res.destroyed) {
        this.open.delete(res);
        continue;
      }
      if (sent + 1 >= chunkCount) {
        this.open.delete(res);
        res.end(CONTENT_CHUNK + TAIL);
      } else {
        this.open.set(res, sent + 1);
        res.write(CONTENT_CHUNK);
      }
    }
    if (this.open.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

function answerStream(res: ServerResponse, pace: StreamPace, paced: PacedStreams): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(FIRST_CHUNK);
  if (pace.mode === 'burst') setImmediate(() => res.end(CONTENT_CHUNK.repeat(pace.chunkCount) + TAIL));
  else paced.add(res, pace);
}

export async function startFakeOpenAiUpstream(
  pace: StreamPace = { mode: 'burst', chunkCount: 20, intervalMs: 10 },
): Promise<FakeUpstream> {
  const state = { requests: 0, pace, lastBodies: {} as { stream?: string; nonStream?: string } };
  const paced = new PacedStreams();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests += 1;
      const body = Buffer.concat(chunks).toString('utf8');
      if (STREAM_TRUE.test(body)) {
        state.lastBodies.stream = body;
        answerStream(res, state.pace, paced);
      } else {
        state.lastBodies.nonStream = body;
        answerJson(res);
      }
    });
  };

  const server: Server = createServer({ keepAliveTimeout: 60_000 }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return state.requests;
    },
    get lastBodies() {
      return state.lastBodies;
    },
    get pace() {
      return state.pace;
    },
    set pace(next: StreamPace) {
      state.pace = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        paced.stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
