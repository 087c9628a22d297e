/**
 * `npm run bench`: Patchbay's overhead against a local fake OpenAI-format upstream, beside a
 * bare node:http relay (the cost of one process hop), a translating floor (node:http and the
 * codecs alone: what translating costs) and claude-code-router as the peer, for a
 * small request and a 45 KB Claude Code request; start-up time and idle memory of `patchbay
 * serve`. Loopback only, bounded request counts, stops by itself. Prints one report and writes
 * it as JSON to bench/results/latest.json.
 *
 * Knobs (environment): BENCH_ITERATIONS (300), BENCH_WARMUP (30), BENCH_STEADY_AFTER (1000: the
 * latency runs again once each process has served that many rounds; 0 skips it),
 * BENCH_STEADY_ITERATIONS (1000: the rounds recorded in that phase; a p99 of 300 samples is the
 * third-worst request, which on a shared two-core machine reads one stray preemption),
 * BENCH_STEADY_WITH_PEER=1 (the peer in that phase too), BENCH_STREAMS (200),
 * BENCH_CHUNKS (100), BENCH_CHUNK_INTERVAL_MS (10), BENCH_TRANSLATE_ITERATIONS (50),
 * BENCH_STARTUP_RUNS (5), BENCH_IDLE_SECONDS (45: the idle spell after traffic; 0 skips it), BENCH_SKIP_PEER=1, BENCH_FROM_SOURCE=1 (run Patchbay's TypeScript
 * sources instead of the built bundle), BENCH_OUT (path of the JSON, default
 * bench/results/latest.json), BENCH_PROFILE_DIR (write a V8 CPU profile of the Patchbay
 * process there, to find hot spots), BENCH_SOAK_MINUTES (3; 0 skips the soak), BENCH_SOAK_SHORT=1
 * (a 30 s soak after 5 s of warm-up: a smoke test), BENCH_SOAK_ONLY=1 (the soak alone; its JSON
 * then goes to bench/results/soak.json unless BENCH_OUT says otherwise), BENCH_SOAK_CONCURRENCY (50).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, platform, release } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anthropicCodec } from '../app/codecs/anthropic';
import { openaiCodec } from '../app/codecs/openai';
import { DEFAULT_INDEX_LIMIT } from '../app/log/request-log';
import { ToolNameMap } from '../app/translate/tool-names';
import { buildBundle } from '../scripts/build.mjs';
import { whyBuildUnusable } from '../scripts/build-fingerprint.mjs';
import { claudeCodeRequest, largeClaudeCodeRequest, smallRequest } from './claude-code-request';
import { startBareServer } from './child/bare-server';
import { startNullRelay, type RunningRelay } from './child/null-relay';
import { startTranslatingFloor, type RunningFloor } from './child/translating-floor';
import { startFakeUpstreamProcess, type FakeUpstreamProcess } from './child/fake-upstream-process';
import { startClaudeCodeRouter, CCR_CLIENT_TOKEN, type RunningPeer } from './child/claude-code-router';
import { startPatchbay, PATCHBAY_CLIENT_TOKEN, type RunningPatchbay } from './child/patchbay';
import { streamsUnderMemoryWatch } from './concurrency';
import { concurrentStreams, createPool, fetchText, nowMs, sequentialLatency, type LatencyResult, type Target } from './measure';
import { idleAfterTraffic } from './idle-after-traffic';
import { formatReport } from './report';
import { formatPacingReport, runPacingBench } from './pacing';
import { runSoak, type SoakOptions } from './soak';
import { formatSoakReport } from './soak-report';
import type { AddedLatency, BenchResults, LatencyPhase, LatencySet } from './results-shape';
import { measureStartup, type Started } from './startup';
import { runTranslationBench } from './translation';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

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
  steadyAfter: intEnv('BENCH_STEADY_AFTER', 1000),
  steadyIterations: intEnv('BENCH_STEADY_ITERATIONS', 1000),
  steadyWithPeer: process.env.BENCH_STEADY_WITH_PEER === '1',
  streams: intEnv('BENCH_STREAMS', 200),
  chunks: intEnv('BENCH_CHUNKS', 100),
  chunkIntervalMs: intEnv('BENCH_CHUNK_INTERVAL_MS', 10),
  translateIterations: intEnv('BENCH_TRANSLATE_ITERATIONS', 50),
  startupRuns: intEnv('BENCH_STARTUP_RUNS', 5),
  idleSeconds: intEnv('BENCH_IDLE_SECONDS', 45),
  skipPeer: process.env.BENCH_SKIP_PEER === '1',
  fromSource: process.env.BENCH_FROM_SOURCE === '1',
  out: resolve(repoRoot, process.env.BENCH_OUT ?? 'bench/results/latest.json'),
  profileDir: process.env.BENCH_PROFILE_DIR ? resolve(process.env.BENCH_PROFILE_DIR) : undefined,
  soak: soakSettings(),
  soakOnly: process.env.BENCH_SOAK_ONLY === '1',
};
if (settings.soakOnly && !process.env.BENCH_OUT) settings.out = resolve(repoRoot, 'bench/results/soak.json');
// The soak's warm-up is open-ended (a request count): up to 5 minutes of it are allowed for.
const HARD_DEADLINE_MS = (settings.soakOnly ? 60_000 : 480_000) + (settings.soak ? Math.max(settings.soak.warmupMs, 300_000) + settings.soak.durationMs + 30_000 : 0);

/** The soak's knobs; undefined when it is skipped. */
function soakSettings(): SoakOptions | undefined {
  const short = process.env.BENCH_SOAK_SHORT === '1';
  const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? 3);
  if (!(minutes >= 0)) throw new Error(`BENCH_SOAK_MINUTES must be a non-negative number, got "${process.env.BENCH_SOAK_MINUTES}"`);
  if (!short && minutes === 0) return undefined;
  return {
    durationMs: short ? 30_000 : Math.round(minutes * 60_000),
    warmupMs: short ? 5_000 : 20_000,
    // Enough requests to fill the request log's in-memory index (its cap plus the 10% it may
    // run over before a trim), so memory kept by design is in the warm-up figure already.
    warmupRequests: intEnv('BENCH_SOAK_WARMUP_REQUESTS', short ? 0 : Math.ceil(DEFAULT_INDEX_LIMIT * 1.1)),
    concurrency: intEnv('BENCH_SOAK_CONCURRENCY', 50),
    rssEveryMs: short ? 1_000 : 5_000,
  };
}

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

type Bodies = { nonStream: Buffer; stream: Buffer };
type Make = (stream: boolean) => Record<string, unknown>;
const REQUEST_KINDS = [
  { key: 'small', label: 'small request', make: smallRequest },
  { key: 'claudeCode', label: 'Claude Code request', make: claudeCodeRequest },
] as const satisfies ReadonlyArray<{ key: keyof BenchResults['latency']; label: string; make: Make }>;

function bodiesOf(make: Make): Bodies {
  return { nonStream: Buffer.from(JSON.stringify(make(false))), stream: Buffer.from(JSON.stringify(make(true))) };
}

function anthropicTarget(name: string, origin: string, token: string, bodies: Bodies): Target {
  return { name, origin, path: '/v1/messages?beta=true', headers: claudeCodeHeaders(token), bodies };
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

function minus(target: LatencyResult, base: LatencyResult): AddedLatency {
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Patchbay runs as users run it after `npm install`: bin/patchbay.js loading the plain-JS
 * bundle with its V8 code cache. The bench builds its own copy of the current sources (inside
 * dist/, so it finds node_modules; PATCHBAY_BUNDLE points the bin at it), so sources edited
 * during a run change nothing; the bin's freshness check is timed on its own.
 */
const BENCH_BUNDLE = `dist/bench-${process.pid}/patchbay.cjs`;
async function buildBenchBundle(results: BenchResults): Promise<string | undefined> {
  if (settings.fromSource) return undefined;
  try {
    await buildBundle(BENCH_BUNDLE);
  } catch (err) {
    results.problems.push(`could not build the bundle (${(err as Error).message}): Patchbay ran from its TypeScript sources`);
    return undefined;
  }
  const checks = Array.from({ length: 5 }, () => {
    const started = nowMs();
    whyBuildUnusable(repoRoot);
    return nowMs() - started;
  });
  results.startup.binCheckMs = checks.sort((a, b) => a - b)[2];
  return resolve(repoRoot, BENCH_BUNDLE);
}

interface Running {
  upstream: FakeUpstreamProcess;
  patchbay?: RunningPatchbay;
  peer?: RunningPeer;
  relay?: RunningRelay;
  floor?: RunningFloor;
}

/** Sequential latency of one request kind: baseline, Patchbay, peer, relay, interleaved. */
async function latencyFor(kind: (typeof REQUEST_KINDS)[number], run: Running, results: BenchResults): Promise<LatencySet> {
  const clientBodies = bodiesOf(kind.make);
  const set: LatencySet = { clientRequestBytes: clientBodies.nonStream.length };
  const targets: Array<{ target: Target; pool: ReturnType<typeof createPool> }> = [];
  // The baseline sends exactly what Patchbay sends upstream, captured from one exchange each;
  // if Patchbay is not running, the same translation done in-process by its codecs.
  let baselineBodies: Bodies | undefined;
  if (run.patchbay) {
    const pbTarget = anthropicTarget('patchbay', run.patchbay.origin, PATCHBAY_CLIENT_TOKEN, clientBodies);
    const pool = createPool(run.patchbay.origin, 1);
    try {
      await checkAnthropicAnswers(pool, pbTarget);
      const { nonStream, stream } = await run.upstream.lastBodies();
      if (!nonStream || !stream) throw new Error('the fake upstream did not see both request kinds');
      baselineBodies = { nonStream: Buffer.from(nonStream), stream: Buffer.from(stream) };
      set.baselineSource = 'captured from Patchbay';
      targets.push({ target: pbTarget, pool });
    } catch (err) {
      results.problems.push(`Patchbay did not answer the ${kind.label}: ${(err as Error).message}`);
      await pool.close();
    }
  }
  if (!baselineBodies) {
    baselineBodies = {
      nonStream: Buffer.from(JSON.stringify(translatedForBaseline(kind.make(false)))),
      stream: Buffer.from(JSON.stringify(translatedForBaseline(kind.make(true)))),
    };
    set.baselineSource = 'encoded in-process by the codecs';
  }
  const baseline: Target = {
    name: 'baseline',
    origin: run.upstream.url,
    path: '/v1/chat/completions',
    headers: { authorization: 'Bearer bench-upstream-key', accept: 'application/json' },
    bodies: baselineBodies,
  };
  targets.unshift({ target: baseline, pool: createPool(run.upstream.url, 1) });
  if (run.relay) targets.push({ target: { ...baseline, name: 'relay', origin: run.relay.origin }, pool: createPool(run.relay.origin, 1) });
  // Anthropic-format targets besides Patchbay: timed only once they answer properly.
  const checked = [
    ['floor', 'the translating floor', run.floor?.origin, PATCHBAY_CLIENT_TOKEN],
    ['peer', 'claude-code-router', run.peer?.origin, CCR_CLIENT_TOKEN],
  ] as const;
  for (const [name, label, origin, token] of checked) {
    if (!origin) continue;
    const target = anthropicTarget(name, origin, token, clientBodies);
    const pool = createPool(origin, 1);
    try {
      await checkAnthropicAnswers(pool, target);
      targets.push({ target, pool });
    } catch (err) {
      results.problems.push(`${label} did not answer the ${kind.label}: ${(err as Error).message}`);
      await pool.close();
    }
  }
  if (targets.length < 2) return set;
  log(`latency, ${kind.label} (${set.clientRequestBytes} bytes): ${settings.warmup} + ${settings.iterations} x (non-stream + stream) x ${targets.length} targets, interleaved`);
  const firstPhase = await sequentialLatency(targets, { warmup: settings.warmup, iterations: settings.iterations });
  Object.assign(set, latencyPhase(firstPhase));
  const done = settings.warmup + settings.iterations;
  if (settings.steadyAfter > done) {
    // Own work at steady state is read beside the relay and the floor only. The peer's requests
    // (14 ms each on the 45 KB one) leave work behind on its helper threads that slows whatever
    // runs next on two cores, and more so the more work that is (docs/benchmarks.md). The peer
    // comparison is the first phase's.
    const steadyTargets = settings.steadyWithPeer ? targets : targets.filter(({ target }) => target.name !== 'peer');
    log(`latency, ${kind.label}, steady state${settings.steadyWithPeer ? '' : ' (without the peer)'}: ${settings.steadyAfter - done} more rounds unrecorded, then ${settings.steadyIterations} rounds`);
    const steady = await sequentialLatency(steadyTargets, { warmup: settings.steadyAfter - done, iterations: settings.steadyIterations });
    set.steady = { fromRound: settings.steadyAfter, withPeer: settings.steadyWithPeer, ...latencyPhase(steady) };
  }
  await Promise.all(targets.map(({ pool }) => pool.close()));
  return set;
}

/** Each target's figures of one phase, and the differences between them. */
function latencyPhase(latency: Map<string, LatencyResult>): LatencyPhase {
  const base = latency.get('baseline');
  const pb = latency.get('patchbay');
  const peer = latency.get('peer');
  const relay = latency.get('relay');
  const floor = latency.get('floor');
  const phase: LatencyPhase = { baseline: base, patchbay: pb, peer, relay, floor };
  if (floor && relay) phase.floorOverRelay = minus(floor, relay);
  if (pb && floor) phase.patchbayOverFloor = minus(pb, floor);
  if (base && relay) phase.relayAdded = minus(relay, base);
  if (base && pb) phase.patchbayAdded = minus(pb, base);
  if (base && peer) phase.peerAdded = minus(peer, base);
  if (pb && relay) phase.patchbayOverRelay = minus(pb, relay);
  if (peer && relay) phase.peerOverRelay = minus(peer, relay);
  if (phase.patchbayAdded && phase.peerAdded) phase.ratio = divide(phase.patchbayAdded, phase.peerAdded);
  return phase;
}

/** Start-up runs of fresh processes: the bundle, the sources (tsx), and bare Node as the floor. */
async function startupRuns(upstreamUrl: string, bundle: string | undefined, results: BenchResults): Promise<void> {
  const small = bodiesOf(smallRequest);
  const firstRequest = (origin: string) => anthropicTarget('patchbay', origin, PATCHBAY_CLIENT_TOKEN, small);
  const patchbay = (entry: string | undefined) => async (): Promise<Started> => {
    const spawnedAt = nowMs();
    const pb = await startPatchbay(repoRoot, upstreamUrl, { ...(entry ? { bundle: entry } : {}), probe: false });
    const readyAt = nowMs();
    return { origin: pb.origin, spawnedAt, readyAt, memory: () => pb.process.memory(), cpuMs: () => pb.process.cpuMs(), stop: () => pb.stop() };
  };
  const options = { runs: settings.startupRuns, idleMs: 2000 };
  type StartupKey = 'patchbay' | 'patchbaySource' | 'bareNode';
  const runs: Array<[StartupKey, () => Promise<Started>, boolean]> = [
    ['bareNode', async () => {
      const spawnedAt = nowMs();
      const bare = await startBareServer(repoRoot);
      const readyAt = nowMs();
      return { origin: bare.origin, spawnedAt, readyAt, memory: () => bare.process.memory(), cpuMs: () => bare.process.cpuMs(), stop: () => bare.process.stop() };
    }, false],
    ...(bundle ? [['patchbay', patchbay(bundle), true] as [StartupKey, () => Promise<Started>, boolean]] : []),
    ['patchbaySource', patchbay(undefined), true],
  ];
  for (const [key, start, withRequest] of runs) {
    if (settings.startupRuns === 0) break;
    log(`start-up: ${settings.startupRuns} fresh ${key} processes`);
    try {
      results.startup[key] = await measureStartup(start, { ...options, ...(withRequest ? { firstRequest } : {}) });
    } catch (err) {
      results.problems.push(`start-up runs of ${key} failed: ${(err as Error).message}`);
    }
  }
}

/** How often (in rounds) the idle-memory run sends a long session's request. */
const LARGE_EVERY = 10;

/** A fresh probe-less Patchbay, the latency runs' requests, then an idle spell (bench/idle-after-traffic.ts). */
async function idleAfterTrafficRun(upstreamUrl: string, bundle: string | undefined, results: BenchResults): Promise<void> {
  if (settings.idleSeconds === 0) return;
  const rounds = settings.warmup + settings.iterations;
  log(`idle memory: a fresh patchbay, ${rounds} x (non-stream + stream) x 2 request kinds and a 1 MB request every ${LARGE_EVERY} rounds, then ${settings.idleSeconds} s idle`);
  let pb: RunningPatchbay | undefined;
  try {
    pb = await startPatchbay(repoRoot, upstreamUrl, { ...(bundle ? { bundle } : {}), probe: false });
    const targets = REQUEST_KINDS.map((kind) => anthropicTarget('patchbay', pb!.origin, PATCHBAY_CLIENT_TOKEN, bodiesOf(kind.make)));
    // A long session's requests (about 1 MB) among them: agents send such bodies all day, and
    // a large block freed once changes what the process keeps for good (ADR 0014).
    const large = anthropicTarget('patchbay', pb.origin, PATCHBAY_CLIENT_TOKEN, bodiesOf((stream) => ({ ...largeClaudeCodeRequest(), stream })));
    results.idleMemory.idleAfterTraffic = await idleAfterTraffic(pb.process, pb.origin, targets, { rounds, large: { target: large, every: LARGE_EVERY }, idleMs: settings.idleSeconds * 1000 });
  } catch (err) {
    results.problems.push(`idle memory after traffic: ${(err as Error).message}`);
  } finally {
    await pb?.stop();
  }
}

function evaluateTargets(r: BenchResults): void {
  const MB = 1024 * 1024;
  const { small, claudeCode } = r.latency;
  const put = (key: keyof BenchResults['targets'], met: boolean | undefined) => {
    if (met !== undefined) r.targets[key] = met;
  };
  const ownWithin = (o: AddedLatency | undefined, ms: number) => (o ? o.nonStreamP50 <= ms && o.ttfbP50 <= ms : undefined);
  const p99Within2 = (s: AddedLatency | undefined, c: AddedLatency | undefined) =>
    s && c ? [s, c].every((o) => o.nonStreamP99 <= 2 && o.ttfbP99 <= 2) : undefined;
  put('ownWorkSmallP50AtMost0_3ms', ownWithin(small?.patchbayOverRelay, 0.3));
  put('ownWorkClaudeCodeP50AtMost1ms', ownWithin(claudeCode?.patchbayOverRelay, 1));
  put('p99WithinTwoMsOfRelay', p99Within2(small?.patchbayOverRelay, claudeCode?.patchbayOverRelay));
  put('steadyOwnWorkSmallP50AtMost0_3ms', ownWithin(small?.steady?.patchbayOverRelay, 0.3));
  put('steadyOwnWorkClaudeCodeP50AtMost1ms', ownWithin(claudeCode?.steady?.patchbayOverRelay, 1));
  put('steadyP99WithinTwoMsOfRelay', p99Within2(small?.steady?.patchbayOverRelay, claudeCode?.steady?.patchbayOverRelay));
  // Idle: 2 s after start (fresh processes), and after traffic once the process has been idle a while.
  const rss = [r.startup.patchbay?.idleRss.p50, r.idleMemory.idleAfterTraffic?.settled].filter((v): v is number => v !== undefined);
  if (rss.length) r.targets.idleRssAtMost80MB = rss.every((v) => v <= 80 * MB);
  if (r.startup.patchbay) r.targets.readyWithin400ms = r.startup.patchbay.firstOk.p50 <= 400;
  const pa = claudeCode?.patchbayAdded;
  const pe = claudeCode?.peerAdded;
  if (pa && pe) r.targets.addsLessThanHalfOfPeer = pa.nonStreamP50 < pe.nonStreamP50 / 2 && pa.ttfbP50 < pe.ttfbP50 / 2;
}

/** Start-up, latency, translation, concurrency and pacing: Patchbay beside the relay and the peer. */
async function comparisonBenches(run: Running, bundle: string | undefined, results: BenchResults): Promise<void> {
  const upstream = run.upstream;
  // Start-up first, while nothing else runs.
  await startupRuns(upstream.url, bundle, results);

  const [pb, pr, rl] = await Promise.allSettled([
    startPatchbay(repoRoot, upstream.url, { ...(settings.profileDir ? { profileDir: settings.profileDir } : {}), ...(bundle ? { bundle } : {}) }),
    settings.skipPeer ? Promise.reject(new Error('skipped (BENCH_SKIP_PEER=1)')) : startClaudeCodeRouter(repoRoot, upstream.url),
    startNullRelay(repoRoot, upstream.url),
  ]);
  try {
    run.floor = await startTranslatingFloor(repoRoot, upstream.url);
  } catch (err) {
    results.problems.push(`the translating floor could not start: ${(err as Error).message}`);
  }
  if (rl.status === 'fulfilled') run.relay = rl.value;
  else results.problems.push(`the null relay could not start: ${(rl.reason as Error).message}`);
  if (pb.status === 'fulfilled') run.patchbay = pb.value;
  else results.problems.push(`Patchbay could not start: ${(pb.reason as Error).message}`);
  if (pr.status === 'fulfilled') run.peer = pr.value;
  else results.problems.push(`claude-code-router (peer) could not run: ${(pr.reason as Error).message}`);
  log(`patchbay: ${run.patchbay?.origin ?? 'not running'}; peer: ${run.peer?.origin ?? 'not running'}`);
  if (run.patchbay) {
    await sleep(1000);
    results.idleMemory.afterStart = await run.patchbay.process.memory();
  }

  for (const kind of REQUEST_KINDS) results.latency[kind.key] = await latencyFor(kind, run, results);
  // The floor is a latency yardstick only: it takes no CPU from the runs after.
  await run.floor?.stop();
  delete run.floor;
  if (run.patchbay) {
    await sleep(2000);
    results.idleMemory.afterTraffic = await run.patchbay.process.memory();
    results.idleMemory.afterTrafficGc = await run.patchbay.process.memory({ gc: true });
  }
  await idleAfterTrafficRun(upstream.url, bundle, results);

  log(`translation: 1 MB request and a streamed response, ${settings.translateIterations} iterations`);
  try {
    results.translation = runTranslationBench({ warmup: 5, iterations: settings.translateIterations });
  } catch (err) {
    results.problems.push(`translation benchmark failed: ${(err as Error).stack ?? String(err)}`);
  }

  const claudeCode = bodiesOf(claudeCodeRequest);
  const baseline: Target = {
    name: 'baseline',
    origin: upstream.url,
    path: '/v1/chat/completions',
    headers: { authorization: 'Bearer bench-upstream-key', accept: 'application/json' },
    bodies: {
      nonStream: Buffer.from(JSON.stringify(translatedForBaseline(claudeCodeRequest(false)))),
      stream: Buffer.from(JSON.stringify(translatedForBaseline(claudeCodeRequest(true)))),
    },
  };
  await upstream.setPace({ mode: 'paced', chunkCount: settings.chunks, intervalMs: settings.chunkIntervalMs });
  const watch = { streams: settings.streams, sampleEveryMs: 100, settleMs: 1000 };
  log(`concurrency: ${settings.streams} streams straight to the fake upstream (baseline)`);
  results.concurrency.baseline = await concurrentStreams(baseline, settings.streams);
  const watched = [
    ['relay', run.relay, { ...baseline, name: 'relay', origin: run.relay?.origin ?? '' }],
    ['patchbay', run.patchbay, anthropicTarget('patchbay', run.patchbay?.origin ?? '', PATCHBAY_CLIENT_TOKEN, claudeCode)],
    ['peer', run.peer, anthropicTarget('peer', run.peer?.origin ?? '', CCR_CLIENT_TOKEN, claudeCode)],
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

  const pacingScale = Number(process.env.BENCH_PACING_SCALE ?? 1);
  log(`pacing: 30 concurrent requests, rpm 55 and 600, to an upstream that allows 10 per 10 s (time scale ${pacingScale})`);
  try {
    results.pacing = await runPacingBench({ scale: pacingScale });
  } catch (err) {
    results.problems.push(`pacing benchmark failed: ${(err as Error).message}`);
  }
}

/** The soak, on a fresh Patchbay process (the others stopped first, so they take no CPU from it). */
async function soakBench(run: Running, bundle: string | undefined, options: SoakOptions, results: BenchResults): Promise<void> {
  await Promise.allSettled([run.patchbay?.stop(), run.peer?.stop(), run.relay?.stop()]);
  delete run.patchbay;
  delete run.peer;
  delete run.relay;
  // Streams last 10 x 20 ms upstream, so most of the 50 in flight are streams at any moment.
  await run.upstream.setPace({ mode: 'paced', chunkCount: 10, intervalMs: 20 });
  try {
    run.patchbay = await startPatchbay(repoRoot, run.upstream.url, bundle ? { bundle } : {});
    results.soak = await runSoak(run.patchbay.process, run.patchbay.origin, PATCHBAY_CLIENT_TOKEN, options, log);
    if (results.soak.errors > 0) results.problems.push(`soak: ${results.soak.errors} of ${results.soak.requests} requests failed, first: ${results.soak.firstErrors[0]}`);
  } catch (err) {
    results.problems.push(`soak failed: ${(err as Error).stack ?? String(err)}`);
  }
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
      patchbayRuns: 'built bundle',
      warmup: settings.warmup,
      iterations: settings.iterations,
      steadyAfter: settings.steadyAfter,
      steadyIterations: settings.steadyIterations,
      peer: 'claude-code-router 2.0.0',
    },
    latency: {},
    startup: {},
    idleMemory: {},
    concurrency: { streams: settings.streams, chunksPerStream: settings.chunks, chunkIntervalMs: settings.chunkIntervalMs },
    targets: {},
    problems: [],
  };

  let run: Running | undefined;
  const stopAll = async () => {
    await Promise.allSettled([run?.patchbay?.stop(), run?.peer?.stop(), run?.relay?.stop(), run?.floor?.stop()]);
    await run?.upstream.close();
  };
  const deadline = setTimeout(() => {
    log(`hard deadline of ${HARD_DEADLINE_MS / 1000} s reached: stopping`);
    void stopAll().finally(() => process.exit(1));
  }, HARD_DEADLINE_MS);
  deadline.unref();

  try {
    const bundle = await buildBenchBundle(results);
    if (!bundle) results.meta.patchbayRuns = 'TypeScript sources (tsx)';
    const upstream = await startFakeUpstreamProcess(repoRoot);
    run = { upstream };
    await upstream.setPace({ mode: 'burst', chunkCount: 20, intervalMs: settings.chunkIntervalMs });
    log(`fake upstream on ${upstream.url} (pid ${upstream.pid}); Patchbay runs as: ${results.meta.patchbayRuns}`);

    if (!settings.soakOnly) await comparisonBenches(run, bundle, results);
    if (settings.soak) await soakBench(run, bundle, settings.soak, results);
  } finally {
    await stopAll();
    await rm(dirname(resolve(repoRoot, BENCH_BUNDLE)), { recursive: true, force: true });
    clearTimeout(deadline);
  }
  evaluateTargets(results);
  return results;
}

const results = await main();
if (!settings.soakOnly) console.log(formatReport(results));
if (results.pacing) console.log('\n' + formatPacingReport(results.pacing));
if (results.soak) console.log('\n' + formatSoakReport(results.soak));
if (settings.soakOnly) for (const p of results.problems) console.log(`PROBLEM: ${p}`);
await mkdir(dirname(settings.out), { recursive: true });
await writeFile(settings.out, JSON.stringify(results, null, 2) + '\n');
console.log(`\nJSON written to ${settings.out}`);
