/** Starts the null relay (null-relay-main.mjs) as a benchmarked child process. */
import { fileURLToPath } from 'node:url';
import { spawnProxy, type ProxyProcess } from './proxy-process';

const MAIN = fileURLToPath(new URL('./null-relay-main.mjs', import.meta.url));

export interface RunningRelay {
  process: ProxyProcess;
  origin: string;
  stop(): Promise<void>;
}

export async function startNullRelay(repoRoot: string, upstreamUrl: string): Promise<RunningRelay> {
  const proc = await spawnProxy({
    name: 'null relay',
    cwd: repoRoot,
    nodeArgs: [MAIN, upstreamUrl],
    env: { ...process.env, NODE_ENV: 'production' },
    ready: (out) => /relay listening on http:\/\/127\.0\.0\.1:\d+/.test(out),
    readyTimeoutMs: 30_000,
  });
  const origin = /relay listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.output())![1]!;
  return { process: proc, origin, stop: () => proc.stop() };
}
