/**
 * What `patchbay serve` idles at once it has served traffic: a fresh process as users run it
 * (the built bundle with its code cache, no memory probe preloaded: the probe alone adds about
 * 2 MB), the latency runs' requests replayed through it (both sizes, non-stream and stream) with
 * a few of a long session's (about 1 MB each) among them, then
 * its VmRSS read from /proc every second while nothing happens. V8 gives memory back only after a
 * spell of low activity (its memory reducer: about 15-25 s here), so the figure 2 s after the
 * last request and the settled one both go in the report; "idles at" is the settled one.
 */
import type { ProxyProcess } from './child/proxy-process';
import { createPool, nowMs, timedRequest, type Target } from './measure';

export interface IdleAfterTraffic {
  /** Requests served before the idle spell. */
  requests: number;
  /** Of which long-session requests (about 1 MB each). */
  largeRequests?: number;
  /** VmRSS (bytes) every second of the idle spell, `tMs` after the last request. */
  samples: Array<{ tMs: number; vmRss: number }>;
  /** VmRSS 2 s after the last request. */
  at2s: number;
  /** VmRSS at the end of the idle spell. */
  settled: number;
  /** When VmRSS first came within 1 MB of the settled figure (ms after the last request). */
  settledAfterMs: number;
}

export interface IdleAfterTrafficOptions {
  /** Rounds of (non-stream + stream) per target, in turn. */
  rounds: number;
  /** A long session's request, sent (non-stream + stream) every `every` rounds. */
  large?: { target: Target; every: number };
  /** Length of the idle spell. */
  idleMs: number;
}

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function idleAfterTraffic(proc: ProxyProcess, origin: string, targets: Target[], options: IdleAfterTrafficOptions): Promise<IdleAfterTraffic> {
  const pool = createPool(origin, 1);
  let requests = 0;
  let largeRequests = 0;
  try {
    for (let i = 0; i < options.rounds; i++) {
      const large = options.large && i % options.large.every === 0 ? [options.large.target] : [];
      for (const target of [...targets, ...large]) {
        for (const stream of [false, true]) {
          await timedRequest(pool, target, stream); // throws on a non-2xx answer
          requests++;
          if (large[0] === target) largeRequests++;
        }
      }
    }
  } finally {
    await pool.close();
  }
  const start = nowMs();
  const samples: IdleAfterTraffic['samples'] = [];
  for (let s = 1; s * 1000 <= options.idleMs; s++) {
    await sleep(start + s * 1000 - nowMs());
    const { vmRss } = await proc.memory();
    if (vmRss === undefined) throw new Error('VmRSS is not readable (no /proc)');
    samples.push({ tMs: s * 1000, vmRss });
  }
  const at2s = samples.find((x) => x.tMs === 2000)?.vmRss ?? samples[0]!.vmRss;
  const settled = samples[samples.length - 1]!.vmRss;
  const settledAfterMs = samples.find((x) => Math.abs(x.vmRss - settled) <= MB)!.tMs;
  return { requests, largeRequests, samples, at2s, settled, settledAfterMs };
}
