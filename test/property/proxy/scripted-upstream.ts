/**
 * An upstream that answers every request with what the test scripted for it: a status, a
 * content type and bytes written in the given pieces, each on its own turn of the event loop
 * (so the proxy reads them as separate network reads).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedAnswer {
  status: number;
  contentType: string;
  chunks: Uint8Array[];
}

export interface ScriptedUpstream {
  origin: string;
  /** The answer to every request from now on. */
  answer(next: ScriptedAnswer): void;
  /** Requests served since the last call. */
  served(): number;
  close(): Promise<void>;
}

export async function startScriptedUpstream(): Promise<ScriptedUpstream> {
  let next: ScriptedAnswer = { status: 500, contentType: 'text/plain', chunks: [Buffer.from('not scripted')] };
  let served = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      served++;
      const { status, contentType, chunks } = next;
      res.writeHead(status, { 'content-type': contentType });
      for (const chunk of chunks) {
        if (res.destroyed) return;
        res.write(chunk);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answer(a) {
      next = a;
    },
    served() {
      const n = served;
      served = 0;
      return n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
