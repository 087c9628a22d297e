/**
 * A yardstick process of the latency runs (the null relay, the translating floor): a child Node
 * process that prints `<banner> listening on <url>` once it serves, then serves until stopped.
 */
import { spawnProxy, type ProxyProcess } from './proxy-process';

export interface RunningYardstick {
  process: ProxyProcess;
  origin: string;
  stop(): Promise<void>;
}

export async function startYardstick(repoRoot: string, name: string, banner: string, nodeArgs: string[]): Promise<RunningYardstick> {
  const listening = new RegExp(`${banner} listening on (http://127\\.0\\.0\\.1:\\d+)`);
  const proc = await spawnProxy({
    name,
    cwd: repoRoot,
    nodeArgs,
    env: { ...process.env, NODE_ENV: 'production' },
    ready: (out) => listening.test(out),
    readyTimeoutMs: 30_000,
  });
  const origin = listening.exec(proc.output())![1]!;
  return { process: proc, origin, stop: () => proc.stop() };
}
