/** Turns BenchResults into the printed table (plain text, fixed-width columns). */
import type { ConcurrencyReport } from './concurrency';
import type { ConcurrentResult, LatencyResult, Summary } from './measure';
import type { AddedLatency, BenchResults } from './results-shape';

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(3));
const mb = (v: number | undefined) => (v === undefined ? '-' : (v / 1024 / 1024).toFixed(1));
const ratio = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(2) + 'x');

function table(title: string, header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function latencyRows(name: string, r: LatencyResult | undefined): string[] {
  if (!r) return [name, '-', '-', '-', '-', '-', '-'];
  return [name, ms(r.nonStream.p50), ms(r.nonStream.p99), ms(r.streamTtfb.p50), ms(r.streamTtfb.p99), ms(r.streamTotal.p50), ms(r.streamTotal.p99)];
}

function addedRow(name: string, a: AddedLatency | undefined, fmt: (v: number | undefined) => string): string[] {
  return [name, fmt(a?.nonStreamP50), fmt(a?.nonStreamP99), fmt(a?.ttfbP50), fmt(a?.ttfbP99), '', ''];
}

function summaryCells(s: Summary): string[] {
  return [ms(s.p50), ms(s.p99), ms(s.mean)];
}

function baselineConcurrencyRow(c: ConcurrentResult | undefined): string[] {
  if (!c) return ['baseline (direct)', '-', '-', '-', '-', '-', '', '', '', '', '', ''];
  return ['baseline (direct)', `${c.streams - c.failed}/${c.streams}`, ms(c.ttfb.p50), ms(c.ttfb.p99), ms(c.total.p50), ms(c.total.p99), '', '', '', '', '', ''];
}

function concurrencyRow(name: string, c: ConcurrencyReport | undefined): string[] {
  if (!c) return [name, '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'];
  const m = c.memory;
  return [
    name,
    `${c.streams.streams - c.streams.failed}/${c.streams.streams}`,
    ms(c.streams.ttfb.p50),
    ms(c.streams.ttfb.p99),
    ms(c.streams.total.p50),
    ms(c.streams.total.p99),
    mb(m.before.vmRss ?? m.before.rss) + ' / ' + mb(m.before.heapUsed),
    mb(m.peakRss) + ' / ' + mb(m.peakHeapUsed),
    mb(m.after.vmRss ?? m.after.rss) + ' / ' + mb(m.after.heapUsed),
    mb(m.vmHwm),
    c.cpuMs === undefined ? '-' : (c.cpuMs / 1000).toFixed(2),
    String(m.samples),
  ];
}

export function formatReport(r: BenchResults): string {
  const out: string[] = [];
  out.push(
    `Patchbay benchmark  ${r.meta.date}  node ${r.meta.node}  ${r.meta.cpus} x ${r.meta.cpuModel}` +
      `  commit ${r.meta.gitCommit ?? '?'}  (${r.meta.iterations} sequential requests per kind and target after ${r.meta.warmup} warm-up; client body ${(r.meta.clientRequestBytes / 1024).toFixed(1)} KB)`,
  );
  out.push('');
  out.push(
    table(
      '1-2. Latency, sequential, keep-alive (ms). baseline = same request straight to the fake upstream in OpenAI format',
      ['target', 'non-stream p50', 'p99', 'stream TTFB p50', 'p99', 'stream total p50', 'p99'],
      [
        latencyRows('baseline (direct)', r.latency.baseline),
        latencyRows('patchbay', r.latency.patchbay),
        latencyRows(`peer (${r.meta.peer})`, r.latency.peer),
        latencyRows('null relay (node:http pipe)', r.latency.relay),
        addedRow('patchbay added', r.latency.patchbayAdded, ms),
        addedRow('peer added', r.latency.peerAdded, ms),
        addedRow('null relay added (hop floor)', r.latency.relayAdded, ms),
        addedRow('patchbay minus null relay', r.latency.patchbayOverRelay, ms),
        addedRow('ratio patchbay/peer', r.latency.ratio, ratio),
      ],
    ),
  );
  out.push('');
  const t = r.translation;
  out.push(
    table(
      '3. In-process translation (ms)',
      ['what', 'size', 'p50', 'p99', 'mean'],
      t
        ? [
            ['request as in the latency runs, with JSON parse/stringify', `${(t.smallRequest.bodyBytes / 1024).toFixed(1)} KB`, ...summaryCells(t.smallRequest.fullPipeline)],
            [`request Anthropic -> IR -> OpenAI, with JSON parse/stringify (${t.request.messages} msgs)`, `${(t.request.bodyBytes / 1e6).toFixed(2)} MB`, ...summaryCells(t.request.fullPipeline)],
            ['request, codecs only (already-parsed object in, object out)', `${(t.request.bodyBytes / 1e6).toFixed(2)} MB`, ...summaryCells(t.request.codecsOnly)],
            ['response stream OpenAI -> IR -> Anthropic SSE', `${t.responseStream.chunks} chunks`, ...summaryCells(t.responseStream.perStream)],
          ]
        : [['(did not run)', '-', '-', '-', '-']],
    ),
  );
  out.push('');
  out.push(
    table(
      `4. ${r.concurrency.streams} concurrent streams, ${r.concurrency.chunksPerStream} chunks each every ${r.concurrency.chunkIntervalMs} ms (latency ms; memory MB, RSS / heap used; CPU s used by the proxy during the run)`,
      ['proxy', 'ok', 'TTFB p50', 'p99', 'total p50', 'p99', 'before', 'peak during', 'after (GC)', 'VmHWM', 'CPU s', 'samples'],
      [
        baselineConcurrencyRow(r.concurrency.baseline),
        concurrencyRow('null relay', r.concurrency.relay),
        concurrencyRow('patchbay', r.concurrency.patchbay), concurrencyRow(`peer (${r.meta.peer})`, r.concurrency.peer)],
    ),
  );
  if (r.targets) {
    out.push('');
    out.push(
      `Targets: Patchbay adds < 1 ms at p50: ${r.targets.patchbayAddedP50UnderOneMs ? 'MET' : 'NOT MET'}; ` +
        `adds < half of what the peer adds (p50, non-stream and TTFB): ${r.targets.patchbayAddsLessThanHalfOfPeer ? 'MET' : 'NOT MET'}`,
    );
  }
  for (const p of r.problems) out.push(`PROBLEM: ${p}`);
  return out.join('\n');
}
