/** Small node:http helpers shared by the fakes: body reading, JSON answers, SSE writing, listening. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The body parsed as JSON, or the raw text when it is not JSON (the fakes record both). */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Bearer token from Authorization, or x-api-key. */
export function presentedKey(req: IncomingMessage, allowXApiKey: boolean): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer /i.test(auth)) return auth.slice(7).trim();
  const x = req.headers['x-api-key'];
  if (allowXApiKey && typeof x === 'string') return x;
  return undefined;
}

/**
 * Writes SSE text to a response. Each write goes out on its own turn of the event loop, and a
 * write containing multi-byte UTF-8 is split inside a character, so clients must decode bytes
 * across reads. Returns false once the client has gone away.
 */
export class SseWriter {
  constructor(private readonly res: ServerResponse) {}

  start(): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    this.res.flushHeaders();
  }

  async write(text: string): Promise<boolean> {
    const bytes = Buffer.from(text, 'utf8');
    const split = bytes.findIndex((b) => b >= 0x80 && b < 0xc0); // a continuation byte
    const parts = split > 0 ? [bytes.subarray(0, split), bytes.subarray(split)] : [bytes];
    for (const part of parts) {
      if (this.res.destroyed || this.res.writableEnded) return false;
      this.res.write(part);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return !this.res.destroyed;
  }

  end(): void {
    if (!this.res.destroyed) this.res.end();
  }

  /** Drop the connection without finishing the stream (a mid-stream network failure). */
  drop(): void {
    this.res.socket?.destroy();
  }
}

export async function listenOnLoopback(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; port: number; connections(): number; close(): Promise<void> }> {
  let accepted = 0;
  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      console.error('fake upstream handler crashed:', err);
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'fake crashed: ' + String(err) } });
      else res.socket?.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('connection', () => (accepted += 1));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Rough token estimate (4 characters a token), used when a Reply gives no usage. */
export function estimateTokens(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return Math.max(1, Math.ceil(text.length / 4));
}
