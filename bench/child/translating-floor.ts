/** Starts the translating floor (floor-main.ts) as a benchmarked child process. */
import { fileURLToPath } from 'node:url';
import { spawnProxy, type ProxyProcess } from './proxy-process';

const MAIN = fileURLToPath(new URL('./floor-main.ts', import.meta.url));

export interface RunningFloor {
  process: ProxyProcess;
  origin: string;
  stop(): Promise<void>;
}

export async function startTranslatingFloor(repoRoot: string, upstreamUrl: string): Promise<RunningFloor> {
  const proc = await spawnProxy({
    name: 'translating floor',
    cwd: repoRoot,
    nodeArgs: ['--import', 'tsx', MAIN, upstreamUrl],
    env: { ...process.env, NODE_ENV: 'production' },
    ready: (out) => /floor listening on http:\/\/127\.0\.0\.1:\d+/.test(out),
    readyTimeoutMs: 30_000,
  });
  const origin = /floor listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.output())![1]!;
  return { process: proc, origin, stop: () => proc.stop() };
}
