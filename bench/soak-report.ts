/** The soak's printed figures (bench/soak.ts). */
import type { SoakResult } from './soak';

const mb = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : (v / 1024 / 1024).toFixed(1));
const ms = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(2));
const verdict = (v: boolean) => (v ? 'MET' : 'NOT MET');

export function formatSoakReport(s: SoakResult): string {
  const o = s.options;
  const window = (w: SoakResult['latency']['first'], label: string) =>
    `  ${label} (${(w.fromMs / 1000).toFixed(0)}-${(w.toMs / 1000).toFixed(0)} s, ${w.latency.count} requests): p50 ${ms(w.latency.p50)} ms, p99 ${ms(w.latency.p99)} ms, max ${ms(w.latency.max)} ms`;
  const pct = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;
  return [
    `5. Soak (issue 11): ${(o.durationMs / 60_000).toFixed(2)} min after a warm-up of ${s.warmup.requests} requests in ${(s.warmup.ms / 1000).toFixed(0)} s, ${o.concurrency} requests in flight, a fresh Patchbay process`,
    `  mix, in rotation: ${s.mix.join(', ')}`,
    `  requests ${s.requests} (${s.requestsPerSecond.toFixed(0)}/s), errors ${s.errors}${s.errors ? ` ${JSON.stringify(s.errorsByKind)}; first: ${s.firstErrors[0]}` : ''}; Patchbay CPU ${s.cpuMs === undefined ? '-' : (s.cpuMs / 1000).toFixed(1)} s`,
    `  heap used after a forced GC: after warm-up ${mb(s.heap.afterWarmupGc.heapUsed)} MB, at the end ${mb(s.heap.atEndGc.heapUsed)} MB (${pct(s.heap.growth)}); RSS then ${mb(s.heap.afterWarmupGc.vmRss)} -> ${mb(s.heap.atEndGc.vmRss)} MB, 10 s later ${mb(s.heap.idleLater.vmRss)} MB`,
    `  V8 heap committed (heapTotal) then ${mb(s.heap.afterWarmupGc.heapTotal)} -> ${mb(s.heap.atEndGc.heapTotal)} MB, 10 s later ${mb(s.heap.idleLater.heapTotal)} MB; external ${mb(s.heap.afterWarmupGc.external)} -> ${mb(s.heap.atEndGc.external)} MB`,
    `  RSS under load, ${s.rss.samples.length} samples every ${o.rssEveryMs / 1000} s: first ${mb(s.rss.first)} MB, last ${mb(s.rss.last)} MB, max ${mb(s.rss.max)} MB, slope ${s.rss.slopeMbPerMin.toFixed(2)} MB/min`,
    `  latency (time to first byte for streams, to the whole answer otherwise):`,
    window(s.latency.first, 'first window'),
    window(s.latency.last, 'last window '),
    `  heap at the end within 10% of after warm-up: ${verdict(s.heap.within10Percent)}`,
    `  last window's p50 and p99 no more than 10% above the first's: ${verdict(s.latency.lastNoWorseThanFirst)}`,
    `  no failed request: ${verdict(s.errors === 0)}`,
  ].join('\n');
}
