/** Starts the null relay (null-relay-main.mjs) as a benchmarked child process. */
import { fileURLToPath } from 'node:url';
import { startYardstick, type RunningYardstick } from './yardstick';

const MAIN = fileURLToPath(new URL('./null-relay-main.mjs', import.meta.url));

export type RunningRelay = RunningYardstick;

export function startNullRelay(repoRoot: string, upstreamUrl: string): Promise<RunningRelay> {
  return startYardstick(repoRoot, 'null relay', 'relay', [MAIN, upstreamUrl]);
}
