/**
 * A transparent loopback relay that notes when the first request arrived, so a test can time a
 * CLI from its first request to its exit (its startup time depends on the machine's load).
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TimingRelay {
  url: string;
  /** Epoch ms of the first request, if any came. */
  firstRequestAt(): number | undefined;
  requests(): number;
  /** What became of each request: the proxy's status, or the error that cut it. */
  outcomes(): string[];
  close(): Promise<void>;
}

export async function startTimingRelay(target: string): Promise<TimingRelay> {
  const to = new URL(target);
  let first: number | undefined;
  let count = 0;
  const outcomes: string[] = [];
  const server = createServer((req, res) => {
    first ??= Date.now();
    count++;
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
      (answer) => {
        outcomes.push(`${req.method} ${req.url} -> ${answer.statusCode}`);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      outcomes.push(`${req.method} ${req.url} -> ${err.code ?? err.message}`);
      res.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    firstRequestAt: () => first,
    requests: () => count,
    outcomes: () => [...outcomes],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
