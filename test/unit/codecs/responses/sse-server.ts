/** A one-route loopback HTTP server that answers every request with the given SSE bytes, in small pieces. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function withSseServer<T>(bytes: () => Buffer, run: (baseUrl: string, bodies: unknown[]) => Promise<T>): Promise<T> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (piece: Buffer) => (raw += piece.toString('utf8')));
    req.on('end', () => {
      bodies.push(JSON.parse(raw));
      const body = bytes();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let at = 0;
      const step = () => {
        if (at >= body.length) return res.end();
        res.write(body.subarray(at, at + 61));
        at += 61;
        setImmediate(step);
      };
      step();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await run(`http://127.0.0.1:${port}/v1`, bodies);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
