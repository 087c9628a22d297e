/** Turns BenchResults into the printed table (plain text, fixed-width columns). */
import type { ConcurrencyReport } from './concurrency';
import type { ConcurrentResult, LatencyResult, Summary } from './measure';
import type { AddedLatency, BenchResults, LatencyPhase, LatencySet } from './results-shape';
import type { StartupResult } from './startup';

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

function latencyTables(title: string, set: LatencySet | undefined, peer: string): string {
  if (!set) return `${title}: did not run`;
  const first = latencyTable(
    `${title}, ${set.clientRequestBytes} bytes: latency, sequential, keep-alive (ms), after the warm-up. baseline = the same request straight to the fake upstream in OpenAI format`,
    set,
    peer,
  );
  if (!set.steady) return first;
  const steady = latencyTable(
    `${title}, steady state: the same requests once every process has served ${set.steady.fromRound} rounds${set.steady.withPeer ? '' : ', without the peer (its work slows what runs beside it)'} (ms)`,
    set.steady,
    peer,
  );
  return `${first}\n\n${steady}`;
}

function latencyTable(title: string, set: LatencyPhase, peer: string): string {
  return table(
    title,
    ['target', 'non-stream p50', 'p99', 'stream TTFB p50', 'p99', 'stream total p50', 'p99'],
    [
      latencyRows('baseline (direct)', set.baseline),
      latencyRows('null relay (node:http pipe)', set.relay),
      latencyRows('translating floor (codecs only)', set.floor),
      latencyRows('patchbay', set.patchbay),
      latencyRows(`peer (${peer})`, set.peer),
      addedRow('null relay added (hop floor)', set.relayAdded, ms),
      addedRow('patchbay added', set.patchbayAdded, ms),
      addedRow('peer added', set.peerAdded, ms),
      addedRow('OWN WORK: patchbay minus relay', set.patchbayOverRelay, ms),
      addedRow('peer minus relay', set.peerOverRelay, ms),
      addedRow('floor minus relay (translating alone)', set.floorOverRelay, ms),
      addedRow('patchbay minus floor (log, stats, guard, pacing)', set.patchbayOverFloor, ms),
      addedRow('ratio patchbay/peer (added)', set.ratio, ratio),
    ],
  );
}

function startupRow(name: string, s: StartupResult | undefined): string[] {
  if (!s) return [name, '-', '-', '-', '-', '-', '-', '-', '-', '-'];
  return [name, String(s.runs), ms(s.listening.p50), ms(s.firstOk.p50), ms(s.firstOk.min), ms(s.firstOk.max), ms(s.firstRunOkMs), ms(s.cpuToReady.p50), mb(s.idleRss.p50), mb(s.idleRss.max)];
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
      `  commit ${r.meta.gitCommit ?? '?'}  Patchbay runs: ${r.meta.patchbayRuns}  (${r.meta.iterations} sequential requests per kind and target after ${r.meta.warmup} warm-up` +
      `${r.meta.steadyAfter > r.meta.warmup + r.meta.iterations ? `; ${r.meta.steadyIterations ?? r.meta.iterations} more from round ${r.meta.steadyAfter}` : ''})`,
  );
  out.push('');
  out.push(latencyTables('1a. Small request', r.latency.small, r.meta.peer));
  out.push('');
  out.push(latencyTables('1b. Claude Code request', r.latency.claudeCode, r.meta.peer));
  out.push('');
  out.push(
    table(
      '2. Start-up: fresh processes, spawn to banner and to the first successful request (a small POST /v1/messages through to the upstream); CPU used until then; VmRSS after 2 s idle (ms, MB)',
      ['process', 'runs', 'listening p50', 'ready p50', 'min', 'max', 'run 1 (cold)', 'CPU ms p50', 'idle RSS p50', 'max'],
      [
        startupRow('bare node:http server (floor)', r.startup.bareNode),
        startupRow('patchbay serve (built bundle)', r.startup.patchbay),
        startupRow('patchbay serve (sources via tsx)', r.startup.patchbaySource),
      ],
    ),
  );
  out.push(`   the bundle runs after bin/patchbay.js checks that dist/ is fresh: ${ms(r.startup.binCheckMs)} ms more at each start`);
  const im = r.idleMemory;
  out.push(
    `   long-lived patchbay (memory probe preloaded): idle RSS after start ${mb(im.afterStart?.vmRss)} MB; after the latency runs ${mb(im.afterTraffic?.vmRss)} MB` +
      ` (heap ${mb(im.afterTraffic?.heapUsed)} MB), after a full GC ${mb(im.afterTrafficGc?.vmRss)} MB (heap ${mb(im.afterTrafficGc?.heapUsed)} MB)`,
  );
  const idle = im.idleAfterTraffic;
  if (idle) {
    out.push(
      `   fresh patchbay without the probe, after ${idle.requests} requests (the latency runs' kinds${idle.largeRequests ? `, ${idle.largeRequests} of them a long session's, about 1 MB` : ''}): RSS 2 s later ${mb(idle.at2s)} MB; ` +
        `idle ${idle.samples.length} s: ${mb(idle.settled)} MB, settled after ${(idle.settledAfterMs / 1000).toFixed(0)} s (V8's memory reducer)`,
    );
  }
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
  const verdict = (v: boolean | undefined) => (v === undefined ? 'not measured' : v ? 'MET' : 'NOT MET');
  const t6 = r.targets;
  out.push('');
  out.push(
    [
      'Targets (issue 6, point 6; own work = patchbay minus the null relay):',
      `  own work <= 0.3 ms p50, small request (non-stream and TTFB): after the warm-up ${verdict(t6.ownWorkSmallP50AtMost0_3ms)}; steady state ${verdict(t6.steadyOwnWorkSmallP50AtMost0_3ms)}`,
      `  own work <= 1 ms p50, Claude Code request (non-stream and TTFB): after the warm-up ${verdict(t6.ownWorkClaudeCodeP50AtMost1ms)}; steady state ${verdict(t6.steadyOwnWorkClaudeCodeP50AtMost1ms)}`,
      `  p99 within 2 ms of the relay's (both requests, non-stream and TTFB): after the warm-up ${verdict(t6.p99WithinTwoMsOfRelay)}; steady state ${verdict(t6.steadyP99WithinTwoMsOfRelay)}`,
      `  idle RSS <= 80 MB (2 s after start; after traffic, once idle): ${verdict(t6.idleRssAtMost80MB)}`,
      `  ready to serve <= 400 ms after spawn (p50): ${verdict(t6.readyWithin400ms)}`,
      `  adds less than half of what the peer adds (Claude Code request, p50): ${verdict(t6.addsLessThanHalfOfPeer)}`,
    ].join('\n'),
  );
  for (const p of r.problems) out.push(`PROBLEM: ${p}`);
  return out.join('\n');
}
