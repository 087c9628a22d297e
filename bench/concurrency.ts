/**
 * Many concurrent streams through one proxy process while its memory is sampled:
 * before (after a full GC, idle), peak during (sampled every `sampleEveryMs`, plus the kernel's
 * RSS high-water mark), after (idle again, after a full GC).
 */
import type { MemorySample, ProxyProcess } from './child/proxy-process';
import { concurrentStreams, type ConcurrentResult, type Target } from './measure';

export interface MemoryReport {
  before: MemorySample;
  peakRss: number;
  peakHeapUsed: number;
  /** Kernel's VmHWM at the end (max RSS over the process's whole life, startup included). */
  vmHwm?: number;
  after: MemorySample;
  samples: number;
}

export interface ConcurrencyReport {
  streams: ConcurrentResult;
  /** CPU time the proxy process used while the streams ran (ms, 10 ms resolution). */
  cpuMs?: number;
  memory: MemoryReport;
}

export async function streamsUnderMemoryWatch(
  target: Target,
  proc: ProxyProcess,
  options: { streams: number; sampleEveryMs: number; settleMs: number },
): Promise<ConcurrencyReport> {
  const before = await proc.memory({ gc: true });
  const cpuBefore = await proc.cpuMs();
  let peakRss = before.vmRss ?? before.rss;
  let peakHeapUsed = before.heapUsed;
  let samples = 0;
  let running = true;

  const sampler = (async () => {
    while (running) {
      try {
        const m = await proc.memory();
        samples += 1;
        peakRss = Math.max(peakRss, m.vmRss ?? m.rss);
        peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
      } catch {
        // a late answer under load: skip this sample
      }
      await new Promise((r) => setTimeout(r, options.sampleEveryMs));
    }
  })();

  let streams: ConcurrentResult;
  try {
    streams = await concurrentStreams(target, options.streams);
  } finally {
    running = false;
    await sampler;
  }
  const cpuAfter = await proc.cpuMs();
  await new Promise((r) => setTimeout(r, options.settleMs));
  const after = await proc.memory({ gc: true });
  return {
    streams,
    ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuMs: cpuAfter - cpuBefore } : {}),
    memory: {
      before,
      peakRss,
      peakHeapUsed,
      ...(after.vmHwm !== undefined ? { vmHwm: after.vmHwm } : {}),
      after,
      samples,
    },
  };
}
