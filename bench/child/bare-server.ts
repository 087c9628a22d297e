/**
 * The start-up floor: a bare node:http server that answers every request with a fixed body, run
 * with plain `node -e` (no loader). Spawn to its first answer is what starting Node itself costs.
 */
import { spawnProxy, type ProxyProcess } from './proxy-process';

const SOURCE = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => s.end('{}')); })
  .listen(0, '127.0.0.1', function () { console.log('bare listening on http://127.0.0.1:' + this.address().port); });
process.once('SIGTERM', () => process.exit(0));`;

export async function startBareServer(repoRoot: string): Promise<{ process: ProxyProcess; origin: string }> {
  const proc = await spawnProxy({
    name: 'bare node:http server',
    cwd: repoRoot,
    nodeArgs: ['-e', SOURCE],
    env: { ...process.env, NODE_ENV: 'production' },
    ready: (out) => /bare listening on http:\/\/127\.0\.0\.1:\d+/.test(out),
    readyTimeoutMs: 30_000,
    probe: false,
  });
  return { process: proc, origin: /bare listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.output())![1]! };
}
