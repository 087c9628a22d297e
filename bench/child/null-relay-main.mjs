/**
 * The "null proxy": a node:http relay that forwards any request to the upstream unchanged
 * (keep-alive agent, bodies piped both ways, no parsing). It measures what one extra Node
 * process hop costs on this machine, the floor under any proxy's added latency.
 * Plain JS run by plain `node` (no TypeScript loader), so its memory and start-up are Node's own.
 * Usage: node null-relay-main.mjs <upstream origin>; prints `relay listening on <url>`.
 */
import { Agent, createServer, request } from 'node:http';
import process from 'node:process';
import { URL } from 'node:url';

const upstream = new URL(process.argv[2] ?? '');
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const headers = { ...req.headers, host: upstream.host };
  const out = request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
    (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    },
  );
  out.on('error', () => res.destroy());
  req.pipe(out);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`relay listening on http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
  agent.destroy();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
