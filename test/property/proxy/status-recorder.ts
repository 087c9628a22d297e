/**
 * A loopback forwarder in front of a fake upstream that remembers every status the fake answered,
 * so a 5xx reaching the client can be told apart: the upstream's own (relayed) or Patchbay's.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StatusRecorder {
  /** `http://127.0.0.1:P`: the same paths as the fake behind it. */
  origin: string;
  /** Statuses answered since the last `take()`. */
  take(): number[];
  close(): Promise<void>;
}

export async function startStatusRecorder(target: string): Promise<StatusRecorder> {
  const to = new URL(target);
  let statuses: number[] = [];
  const server = createServer((req, res) => {
    const headers = { ...req.headers, host: to.host };
    const out = httpRequest({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers }, (upstream) => {
      statuses.push(upstream.statusCode ?? 0);
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
      upstream.on('error', () => res.destroy());
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
    res.on('close', () => out.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    take() {
      const taken = statuses;
      statuses = [];
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
