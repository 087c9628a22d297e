/**
 * The soak (issue 11): minutes of mixed traffic through one Patchbay process, 50 requests in
 * flight at all times: Anthropic /v1/messages (a one-line prompt and the 45 KB Claude Code
 * request), OpenAI /v1/chat/completions and /v1/responses, each streamed and not, against the
 * bench's fake upstream. Measures the heap after a forced GC after the warm-up and at the end
 * (the bench's memory probe over IPC; no endpoint of Patchbay's own), RSS every few seconds
 * (slope in MB/min), latency in the first and the last window, and every failed request.
 */
import type { Pool } from 'undici';
import { claudeCodeRequest, smallRequest } from './claude-code-request';
import type { MemorySample, ProxyProcess } from './child/proxy-process';
import { createPool, nowMs, type Summary } from './measure';
import { comparisonWindowMs, relativeChange, slopePerMinute, summarizeWindow, type TimedValue } from './soak-stats';

export interface SoakOptions {
  /** Measured run after the warm-up, ms. */
  durationMs: number;
  /** Warm-up: at least this long, and at least `warmupRequests` requests. */
  warmupMs: number;
  warmupRequests: number;
  /** Requests in flight at all times (closed loop: each worker sends its next when one ends). */
  concurrency: number;
  /** RSS sampling period, ms. */
  rssEveryMs: number;
}

export interface SoakWindow {
  fromMs: number;
  toMs: number;
  /** Time to the first byte for streams, to the whole body otherwise (the wait a client sees), ms. */
  latency: Summary;
}

export interface SoakResult {
  options: SoakOptions;
  warmup: { requests: number; ms: number };
  /** The request kinds, sent in rotation by every worker. */
  mix: string[];
  requests: number;
  requestsPerSecond: number;
  errors: number;
  errorsByKind: Record<string, number>;
  /** Up to five error messages, first seen first. */
  firstErrors: string[];
  /** CPU the Patchbay process used during the measured run, ms. */
  cpuMs?: number;
  heap: {
    afterWarmupGc: MemorySample;
    atEndGc: MemorySample;
    /** heapUsed at the end over after the warm-up, minus 1 (0.05 = 5% more). */
    growth: number;
    /** At most 10% more (less is fine). */
    within10Percent: boolean;
    /** Ten seconds later, still idle, without forcing a GC: what V8 gives back by itself. */
    idleLater: MemorySample;
  };
  rss: {
    /** VmRSS (or process rss) during the measured run, bytes, at `tMs` after its start. */
    samples: TimedValue[];
    slopeMbPerMin: number;
    first: number;
    last: number;
    max: number;
  };
  latency: {
    windowMs: number;
    first: SoakWindow;
    last: SoakWindow;
    /** Last window's p50 and p99 at most 10% above the first window's. */
    lastNoWorseThanFirst: boolean;
  };
}

interface Kind {
  name: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  stream: boolean;
  /** Why a 200 answer is not a complete one, or undefined. */
  problem(text: string): string | undefined;
}

function needs(marker: string | RegExp, forbidden: RegExp): (text: string) => string | undefined {
  return (text) => {
    if (forbidden.test(text)) return `error in the answer: ${text.slice(0, 200)}`;
    const found = typeof marker === 'string' ? text.includes(marker) : marker.test(text);
    return found ? undefined : `incomplete answer: ${text.slice(-200)}`;
  };
}

/** The eight request kinds of the mix. */
export function soakMix(token: string): Kind[] {
  const anthropic = { authorization: `Bearer ${token}`, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
  const openai = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const kinds: Kind[] = [];
  for (const stream of [false, true]) {
    const suffix = stream ? 'stream' : 'json';
    kinds.push(
      {
        name: `anthropic small ${suffix}`,
        path: '/v1/messages',
        headers: anthropic,
        body: json(smallRequest(stream)),
        stream,
        problem: stream ? needs('event: message_stop', /event: error/) : needs(/"type":"message"/, /"type":"error"/),
      },
      {
        name: `anthropic claude-code ${suffix}`,
        path: '/v1/messages?beta=true',
        headers: anthropic,
        body: json(claudeCodeRequest(stream)),
        stream,
        problem: stream ? needs('event: message_stop', /event: error/) : needs(/"type":"message"/, /"type":"error"/),
      },
      {
        name: `openai chat ${suffix}`,
        path: '/v1/chat/completions',
        headers: openai,
        body: json({ model: 'gpt-4o', max_tokens: 512, messages: [{ role: 'user', content: 'Say hi.' }], stream }),
        stream,
        problem: stream ? needs('data: [DONE]', /"error"\s*:/) : needs(/"object":"chat\.completion"/, /"error"\s*:\s*\{/),
      },
      {
        name: `openai responses ${suffix}`,
        path: '/v1/responses',
        headers: openai,
        body: json({ model: 'gpt-5', input: 'Say hi.', max_output_tokens: 512, stream }),
        stream,
        problem: stream ? needs('event: response.completed', /event: (error|response\.failed)/) : needs(/"status":"completed"/, /"error"\s*:\s*\{/),
      },
    );
  }
  return kinds;
}

interface Recorder {
  latency: TimedValue[];
  requests: number;
  errors: number;
  errorsByKind: Record<string, number>;
  firstErrors: string[];
}

async function send(pool: Pool, kind: Kind): Promise<{ latencyMs: number; error?: string }> {
  const start = nowMs();
  try {
    const res = await pool.request({ method: 'POST', path: kind.path, headers: { ...kind.headers, 'content-length': String(kind.body.length) }, body: kind.body });
    let first = -1;
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) {
      if (first < 0) first = nowMs() - start;
      chunks.push(chunk as Buffer);
    }
    const total = nowMs() - start;
    const text = Buffer.concat(chunks).toString('utf8');
    const latencyMs = kind.stream && first >= 0 ? first : total;
    if (res.statusCode !== 200) return { latencyMs, error: `HTTP ${res.statusCode}: ${text.slice(0, 200)}` };
    const problem = kind.problem(text);
    return problem ? { latencyMs, error: problem } : { latencyMs };
  } catch (err) {
    return { latencyMs: nowMs() - start, error: (err as Error).message };
  }
}

/** `concurrency` workers, each sending the mix in rotation (offset by its index) until `done()`. */
async function drive(pool: Pool, kinds: Kind[], concurrency: number, startAt: number, done: () => boolean, rec: Recorder): Promise<void> {
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; !done(); i++) {
        const kind = kinds[i % kinds.length]!;
        const sentAt = nowMs() - startAt;
        const r = await send(pool, kind);
        rec.requests += 1;
        rec.latency.push({ tMs: sentAt, value: r.latencyMs });
        if (r.error !== undefined) {
          rec.errors += 1;
          rec.errorsByKind[kind.name] = (rec.errorsByKind[kind.name] ?? 0) + 1;
          if (rec.firstErrors.length < 5) rec.firstErrors.push(`${kind.name}: ${r.error}`);
        }
      }
    }),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssOf = (m: MemorySample) => m.vmRss ?? m.rss;

/**
 * Warm-up traffic, idle + GC (heap A), the measured run with RSS sampled, idle + GC (heap B).
 * Idle before each heap figure, so requests in flight do not count as retained memory.
 */
export async function runSoak(proc: ProxyProcess, origin: string, token: string, options: SoakOptions, log: (m: string) => void): Promise<SoakResult> {
  const kinds = soakMix(token);
  const pool = createPool(origin, options.concurrency);
  try {
    log(`soak: warm-up of at least ${options.warmupMs / 1000} s and ${options.warmupRequests} requests, ${options.concurrency} concurrent, ${kinds.length} request kinds`);
    const warm: Recorder = { latency: [], requests: 0, errors: 0, errorsByKind: {}, firstErrors: [] };
    const warmStart = nowMs();
    const warmEnd = warmStart + options.warmupMs;
    await drive(pool, kinds, options.concurrency, warmStart, () => nowMs() >= warmEnd && warm.requests >= options.warmupRequests, warm);
    const warmup = { requests: warm.requests, ms: nowMs() - warmStart };
    await sleep(1000);
    const afterWarmupGc = await proc.memory({ gc: true });

    log(`soak: measured run ${options.durationMs / 1000} s`);
    const rec: Recorder = { latency: [], requests: 0, errors: 0, errorsByKind: {}, firstErrors: [] };
    const rssSamples: TimedValue[] = [];
    const cpuBefore = await proc.cpuMs();
    const start = nowMs();
    const end = start + options.durationMs;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        try {
          const m = await proc.memory();
          rssSamples.push({ tMs: nowMs() - start, value: rssOf(m) });
        } catch {
          // a late answer under load: this sample is skipped
        }
        await sleep(Math.min(options.rssEveryMs, Math.max(0, end - nowMs())));
        if (nowMs() >= end) sampling = false;
      }
    })();
    await drive(pool, kinds, options.concurrency, start, () => nowMs() >= end, rec);
    const elapsed = nowMs() - start;
    sampling = false;
    await sampler;
    const cpuAfter = await proc.cpuMs();
    await sleep(1000);
    const atEndGc = await proc.memory({ gc: true });
    await sleep(10_000);
    const idleLater = await proc.memory();

    const windowMs = comparisonWindowMs(options.durationMs);
    const first: SoakWindow = { fromMs: 0, toMs: windowMs, latency: summarizeWindow(rec.latency, 0, windowMs) };
    const lastFrom = options.durationMs - windowMs;
    const last: SoakWindow = { fromMs: lastFrom, toMs: options.durationMs, latency: summarizeWindow(rec.latency, lastFrom, Number.POSITIVE_INFINITY) };
    const growth = relativeChange(afterWarmupGc.heapUsed, atEndGc.heapUsed);
    const rssValues = rssSamples.map((s) => s.value);
    return {
      options,
      warmup,
      mix: kinds.map((k) => k.name),
      requests: rec.requests,
      requestsPerSecond: rec.requests / (elapsed / 1000),
      errors: rec.errors,
      errorsByKind: rec.errorsByKind,
      firstErrors: rec.firstErrors,
      ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuMs: cpuAfter - cpuBefore } : {}),
      heap: { afterWarmupGc, atEndGc, growth, within10Percent: growth <= 0.1, idleLater },
      rss: {
        samples: rssSamples,
        slopeMbPerMin: slopePerMinute(rssSamples) / 1024 / 1024,
        first: rssValues[0] ?? Number.NaN,
        last: rssValues[rssValues.length - 1] ?? Number.NaN,
        max: Math.max(...rssValues),
      },
      latency: {
        windowMs,
        first,
        last,
        lastNoWorseThanFirst: last.latency.p50 <= first.latency.p50 * 1.1 && last.latency.p99 <= first.latency.p99 * 1.1,
      },
    };
  } finally {
    await pool.close();
  }
}
