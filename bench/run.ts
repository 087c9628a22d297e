/**
 * `npm run bench`: Patchbay's overhead against a local fake OpenAI-format upstream, next to
 * claude-code-router as the peer. Loopback only, bounded request counts, stops by itself.
 * Prints one report and writes it as JSON to bench/results/latest.json.
 *
 * Knobs (environment): BENCH_ITERATIONS (300), BENCH_WARMUP (30), BENCH_STREAMS (200),
 * BENCH_CHUNKS (100), BENCH_CHUNK_INTERVAL_MS (10), BENCH_TRANSLATE_ITERATIONS (50),
 * BENCH_SKIP_PEER=1, BENCH_OUT (path of the JSON, default bench/results/latest.json),
 * BENCH_PROFILE_DIR (write a V8 CPU profile of the Patchbay process there, to find hot spots).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, platform, release } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anthropicCodec } from '../app/codecs/anthropic';
import { openaiCodec } from '../app/codecs/openai';
import { ToolNameMap } from '../app/translate/tool-names';
import { claudeCodeRequest } from './claude-code-request';
import { startNullRelay, type RunningRelay } from './child/null-relay';
import { startFakeUpstreamProcess, type FakeUpstreamProcess } from './child/fake-upstream-process';
import { startClaudeCodeRouter, CCR_CLIENT_TOKEN, type RunningPeer } from './child/claude-code-router';
import { startPatchbay, PATCHBAY_CLIENT_TOKEN, type RunningPatchbay } from './child/patchbay';
import { streamsUnderMemoryWatch } from './concurrency';
import { concurrentStreams, createPool, fetchText, sequentialLatency, type LatencyResult, type Target } from './measure';
import { formatReport } from './report';
import type { AddedLatency, BenchResults } from './results-shape';
import { runTranslationBench } from './translation';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HARD_DEADLINE_MS = 240_000;

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

const settings = {
  iterations: intEnv('BENCH_ITERATIONS', 300),
  warmup: intEnv('BENCH_WARMUP', 30),
  streams: intEnv('BENCH_STREAMS', 200),
  chunks: intEnv('BENCH_CHUNKS', 100),
  chunkIntervalMs: intEnv('BENCH_CHUNK_INTERVAL_MS', 10),
  translateIterations: intEnv('BENCH_TRANSLATE_ITERATIONS', 50),
  skipPeer: process.env.BENCH_SKIP_PEER === '1',
  out: resolve(repoRoot, process.env.BENCH_OUT ?? 'bench/results/latest.json'),
  profileDir: process.env.BENCH_PROFILE_DIR ? resolve(process.env.BENCH_PROFILE_DIR) : undefined,
};

/** Headers Claude Code 2.1.x sends (see /work/shared/notes/wire-formats.md). */
function claudeCodeHeaders(token: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'anthropic-version': '2023-06-01',
    'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,effort-2025-11-24',
    'user-agent': 'claude-cli/2.1.197 (external, cli)',
    'x-app': 'cli',
    'x-claude-code-session-id': '3f0c2a1e-0000-4000-8000-00000000bench',
    accept: 'application/json',
  };
}

const anthropicBodies = {
  nonStream: Buffer.from(JSON.stringify(claudeCodeRequest(false))),
  stream: Buffer.from(JSON.stringify(claudeCodeRequest(true))),
};

function anthropicTarget(name: string, origin: string, token: string): Target {
  return { name, origin, path: '/v1/messages?beta=true', headers: claudeCodeHeaders(token), bodies: anthropicBodies };
}

/**
 * One non-streaming and one streaming exchange, checked to be complete Anthropic answers (a 200
 * carrying an error event must not be timed as a success).
 */
async function checkAnthropicAnswers(pool: ReturnType<typeof createPool>, target: Target): Promise<void> {
  const whole = await fetchText(pool, target, false);
  if (whole.status !== 200 || !/"type"\s*:\s*"message"/.test(whole.text)) {
    throw new Error(`non-streaming answer was HTTP ${whole.status}: ${whole.text.slice(0, 300)}`);
  }
  const streamed = await fetchText(pool, target, true);
  if (streamed.status !== 200 || !streamed.text.includes('message_stop') || streamed.text.includes('event: error')) {
    throw new Error(`streaming answer was HTTP ${streamed.status} and incomplete: ${streamed.text.slice(-300)}`);
  }
}

/** What Patchbay's codecs make of a Claude Code request for an OpenAI backend. */
function translatedForBaseline(body: Record<string, unknown>): Record<string, unknown> {
  const ir = anthropicCodec.decodeRequest(body);
  return openaiCodec.encodeRequest(ir, { model: 'fake-model' }, { toolNames: ToolNameMap.fromTools(ir.tools), requestedModel: ir.model });
}

function added(target: LatencyResult, base: LatencyResult): AddedLatency {
  return {
    nonStreamP50: target.nonStream.p50 - base.nonStream.p50,
    nonStreamP99: target.nonStream.p99 - base.nonStream.p99,
    ttfbP50: target.streamTtfb.p50 - base.streamTtfb.p50,
    ttfbP99: target.streamTtfb.p99 - base.streamTtfb.p99,
  };
}

function divide(a: AddedLatency, b: AddedLatency): AddedLatency {
  return {
    nonStreamP50: a.nonStreamP50 / b.nonStreamP50,
    nonStreamP99: a.nonStreamP99 / b.nonStreamP99,
    ttfbP50: a.ttfbP50 / b.ttfbP50,
    ttfbP99: a.ttfbP99 / b.ttfbP99,
  };
}

/** HEAD's short hash, with "+dirty" when the working tree has uncommitted changes (read-only git calls). */
function gitCommit(): string | undefined {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? '+dirty' : '');
  } catch {
    return undefined;
  }
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function main(): Promise<BenchResults> {
  const commit = gitCommit();
  const results: BenchResults = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${platform()} ${release()}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? '?',
      ...(commit ? { gitCommit: commit } : {}),
      clientRequestBytes: anthropicBodies.stream.length,
      warmup: settings.warmup,
      iterations: settings.iterations,
      peer: 'claude-code-router 2.0.0',
    },
    latency: {},
    concurrency: { streams: settings.streams, chunksPerStream: settings.chunks, chunkIntervalMs: settings.chunkIntervalMs },
    problems: [],
  };

  let upstream: FakeUpstreamProcess | undefined;
  let patchbay: RunningPatchbay | undefined;
  let peer: RunningPeer | undefined;
  let relay: RunningRelay | undefined;
  const stopAll = async () => {
    await Promise.allSettled([patchbay?.stop(), peer?.stop(), relay?.stop()]);
    await upstream?.close();
  };
  const deadline = setTimeout(() => {
    log(`hard deadline of ${HARD_DEADLINE_MS / 1000} s reached: stopping`);
    void stopAll().finally(() => process.exit(1));
  }, HARD_DEADLINE_MS);
  deadline.unref();

  try {
    upstream = await startFakeUpstreamProcess(repoRoot);
    await upstream.setPace({ mode: 'burst', chunkCount: 20, intervalMs: settings.chunkIntervalMs });
    log(`fake upstream on ${upstream.url} (pid ${upstream.pid})`);

    const [pb, pr, rl] = await Promise.allSettled([
      startPatchbay(repoRoot, upstream.url, settings.profileDir),
      settings.skipPeer ? Promise.reject(new Error('skipped (BENCH_SKIP_PEER=1)')) : startClaudeCodeRouter(repoRoot, upstream.url),
      startNullRelay(repoRoot, upstream.url),
    ]);
    if (rl.status === 'fulfilled') relay = rl.value;
    else results.problems.push(`the null relay could not start: ${(rl.reason as Error).message}`);
    if (pb.status === 'fulfilled') patchbay = pb.value;
    else results.problems.push(`Patchbay could not start: ${(pb.reason as Error).message}`);
    if (pr.status === 'fulfilled') peer = pr.value;
    else results.problems.push(`claude-code-router (peer) could not run: ${(pr.reason as Error).message}`);
    log(`patchbay: ${patchbay?.origin ?? 'not running'}; peer: ${peer?.origin ?? 'not running'}`);

    // The baseline sends exactly what Patchbay sends upstream, captured from one exchange each;
    // if Patchbay is not running, the same translation done in-process by its codecs.
    const targets: Array<{ target: Target; pool: ReturnType<typeof createPool> }> = [];
    let baselineBodies: { nonStream: Buffer; stream: Buffer } | undefined;
    if (patchbay) {
      const pbTarget = anthropicTarget('patchbay', patchbay.origin, PATCHBAY_CLIENT_TOKEN);
      const pool = createPool(patchbay.origin, 1);
      try {
        await checkAnthropicAnswers(pool, pbTarget);
        const { nonStream, stream } = await upstream.lastBodies();
        if (!nonStream || !stream) throw new Error('the fake upstream did not see both request kinds');
        baselineBodies = { nonStream: Buffer.from(nonStream), stream: Buffer.from(stream) };
        results.meta.baselineSource = 'captured from Patchbay';
        targets.push({ target: pbTarget, pool });
      } catch (err) {
        results.problems.push(`Patchbay did not answer the benchmark request: ${(err as Error).message}`);
        await pool.close();
      }
    }
    if (!baselineBodies) {
      baselineBodies = {
        nonStream: Buffer.from(JSON.stringify(translatedForBaseline(claudeCodeRequest(false)))),
        stream: Buffer.from(JSON.stringify(translatedForBaseline(claudeCodeRequest(true)))),
      };
      results.meta.baselineSource = 'encoded in-process by the codecs';
    }
    const baseline: Target = {
      name: 'baseline',
      origin: upstream.url,
      path: '/v1/chat/completions',
      headers: { authorization: 'Bearer bench-upstream-key', accept: 'application/json' },
      bodies: baselineBodies,
    };
    targets.unshift({ target: baseline, pool: createPool(upstream.url, 1) });
    if (relay) targets.push({ target: { ...baseline, name: 'relay', origin: relay.origin }, pool: createPool(relay.origin, 1) });
    if (peer) {
      const peerTarget = anthropicTarget('peer', peer.origin, CCR_CLIENT_TOKEN);
      const pool = createPool(peer.origin, 1);
      try {
        await checkAnthropicAnswers(pool, peerTarget);
        targets.push({ target: peerTarget, pool });
      } catch (err) {
        results.problems.push(`claude-code-router did not answer the benchmark request: ${(err as Error).message}`);
        await pool.close();
      }
    }

    if (targets.length > 1) {
      log(`latency: ${settings.warmup} + ${settings.iterations} x (non-stream + stream) x ${targets.length} targets, interleaved`);
      const latency = await sequentialLatency(targets, { warmup: settings.warmup, iterations: settings.iterations });
      await Promise.all(targets.map(({ pool }) => pool.close()));
      const base = latency.get('baseline');
      const pbL = latency.get('patchbay');
      const peerL = latency.get('peer');
      const relayL = latency.get('relay');
      if (relayL) results.latency.relay = relayL;
      if (base && relayL) results.latency.relayAdded = added(relayL, base);
      if (pbL && relayL) results.latency.patchbayOverRelay = added(pbL, relayL);
      if (base) results.latency.baseline = base;
      if (pbL) results.latency.patchbay = pbL;
      if (peerL) results.latency.peer = peerL;
      if (base && pbL) results.latency.patchbayAdded = added(pbL, base);
      if (base && peerL) results.latency.peerAdded = added(peerL, base);
      const { patchbayAdded, peerAdded } = results.latency;
      if (patchbayAdded && peerAdded) {
        results.latency.ratio = divide(patchbayAdded, peerAdded);
      }
      if (patchbayAdded) {
        results.targets = {
          patchbayAddedP50UnderOneMs: patchbayAdded.nonStreamP50 < 1 && patchbayAdded.ttfbP50 < 1,
          patchbayAddsLessThanHalfOfPeer:
            !!peerAdded && patchbayAdded.nonStreamP50 < peerAdded.nonStreamP50 / 2 && patchbayAdded.ttfbP50 < peerAdded.ttfbP50 / 2,
        };
      }
    }

    log(`translation: 1 MB request and a streamed response, ${settings.translateIterations} iterations`);
    try {
      results.translation = runTranslationBench({ warmup: 5, iterations: settings.translateIterations });
    } catch (err) {
      results.problems.push(`translation benchmark failed: ${(err as Error).stack ?? String(err)}`);
    }

    await upstream.setPace({ mode: 'paced', chunkCount: settings.chunks, intervalMs: settings.chunkIntervalMs });
    const watch = { streams: settings.streams, sampleEveryMs: 100, settleMs: 1000 };
    log(`concurrency: ${settings.streams} streams straight to the fake upstream (baseline)`);
    results.concurrency.baseline = await concurrentStreams(baseline, settings.streams);
    const watched = [
      ['relay', relay, { ...baseline, name: 'relay', origin: relay?.origin ?? '' }],
      ['patchbay', patchbay, anthropicTarget('patchbay', patchbay?.origin ?? '', PATCHBAY_CLIENT_TOKEN)],
      ['peer', peer, anthropicTarget('peer', peer?.origin ?? '', CCR_CLIENT_TOKEN)],
    ] as const;
    for (const [key, running, target] of watched) {
      if (!running) continue;
      log(`concurrency: ${settings.streams} streams through ${running.process.name}`);
      try {
        const report = await streamsUnderMemoryWatch(target, running.process, watch);
        results.concurrency[key] = report;
        if (report.streams.failed > 0) {
          results.problems.push(`${running.process.name}: ${report.streams.failed} of ${report.streams.streams} streams failed, first: ${report.streams.firstError}`);
        }
      } catch (err) {
        results.problems.push(`${running.process.name} concurrency run failed: ${(err as Error).message}`);
      }
    }
  } finally {
    await stopAll();
    clearTimeout(deadline);
  }
  return results;
}

const results = await main();
console.log(formatReport(results));
await mkdir(dirname(settings.out), { recursive: true });
await writeFile(settings.out, JSON.stringify(results, null, 2) + '\n');
console.log(`\nJSON written to ${settings.out}`);
