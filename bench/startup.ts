/**
 * Start-up: time from spawn to "listening" (the banner) and to the first successful request,
 * CPU used until then, and idle RSS a little later: the user's view of `patchbay serve` (no
 * memory probe preloaded, no forced GC). Runs are sequential, each in a fresh process.
 */
import type { MemorySample } from './child/proxy-process';
import { createPool, nowMs, summarize, timedRequest, type Summary, type Target } from './measure';

/** A process just started by `start()`; `spawnedAt` is nowMs() taken right before the spawn. */
export interface Started {
  origin: string;
  spawnedAt: number;
  /** nowMs() when the parent saw it ready (its banner). */
  readyAt: number;
  memory(): Promise<MemorySample>;
  cpuMs(): Promise<number | undefined>;
  stop(): Promise<void>;
}

export interface StartupResult {
  runs: number;
  /** Spawn to the listening banner, ms. */
  listening: Summary;
  /** Spawn to the end of the first successful request (`firstRequest` set) or to listening, ms. */
  firstOk: Summary;
  /** CPU the process used up to the first successful request, ms (10 ms resolution). */
  cpuToReady: Summary;
  /** `firstOk` of the first run alone (for the bundle: before its V8 code cache exists), ms. */
  firstRunOkMs: number;
  /** VmRSS after `idleMs` idle following the first request, bytes. */
  idleRss: Summary;
  idleMs: number;
}

export async function measureStartup(
  start: () => Promise<Started>,
  options: { runs: number; idleMs: number; firstRequest?: (origin: string) => Target },
): Promise<StartupResult> {
  const listening: number[] = [];
  const firstOk: number[] = [];
  const cpu: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const s = await start();
    try {
      listening.push(s.readyAt - s.spawnedAt);
      if (options.firstRequest) {
        const pool = createPool(s.origin, 1);
        try {
          await timedRequest(pool, options.firstRequest(s.origin), false);
        } finally {
          firstOk.push(nowMs() - s.spawnedAt);
          await pool.close();
        }
      } else {
        firstOk.push(s.readyAt - s.spawnedAt);
      }
      const used = await s.cpuMs();
      if (used !== undefined) cpu.push(used);
      await new Promise((r) => setTimeout(r, options.idleMs));
      const m = await s.memory();
      rss.push(m.vmRss ?? m.rss);
    } finally {
      await s.stop();
    }
  }
  return { runs: options.runs, listening: summarize(listening), firstOk: summarize(firstOk), firstRunOkMs: firstOk[0] ?? Number.NaN, cpuToReady: summarize(cpu), idleRss: summarize(rss), idleMs: options.idleMs };
}
