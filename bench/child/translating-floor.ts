/** Starts the translating floor (floor-main.ts, through tsx) as a benchmarked child process. */
import { fileURLToPath } from 'node:url';
import { startYardstick, type RunningYardstick } from './yardstick';

const MAIN = fileURLToPath(new URL('./floor-main.ts', import.meta.url));

export type RunningFloor = RunningYardstick;

export function startTranslatingFloor(repoRoot: string, upstreamUrl: string): Promise<RunningFloor> {
  return startYardstick(repoRoot, 'translating floor', 'floor', ['--import', 'tsx', MAIN, upstreamUrl]);
}
