/**
 * Load generation and statistics for the benchmarks: percentiles, timed HTTP requests over a
 * keep-alive undici Pool, sequential and concurrent drivers. No assertions here: only numbers.
 */
import { Pool } from 'undici';

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of an ascending-sorted array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((s, v) => s + v, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length ? total / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Milliseconds since an arbitrary origin, sub-microsecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** One HTTP target: where to send, and the exact bytes and headers to send. */
export interface Target {
  name: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
  /** Body bytes for the non-streaming and the streaming request. */
  bodies: { nonStream: Buffer; stream: Buffer };
}

export interface Timing {
  /** Request start to the first byte of the response body. */
  ttfbMs: number;
  /** Request start to the end of the response body. */
  totalMs: number;
  status: number;
  bytes: number;
}

export class HttpError extends Error {}

export function createPool(origin: string, connections: number): Pool {
  return new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 60_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
}

/** Sends one request and reads the whole body, timing first byte and end. Throws on non-2xx. */
export async function timedRequest(pool: Pool, target: Target, stream: boolean): Promise<Timing> {
  const body = stream ? target.bodies.stream : target.bodies.nonStream;
  const start = nowMs();
  const res = await pool.request({
    method: 'POST',
    path: target.path,
    headers: { ...target.headers, 'content-type': 'application/json', 'content-length': String(body.length) },
    body,
  });
  let ttfb = -1;
  let bytes = 0;
  const firstChunks: Buffer[] = [];
  for await (const chunk of res.body) {
    if (ttfb < 0) ttfb = nowMs() - start;
    bytes += (chunk as Buffer).length;
    if (res.statusCode >= 300 && firstChunks.length < 4) firstChunks.push(chunk as Buffer);
  }
  const total = nowMs() - start;
  if (res.statusCode >= 300) {
    throw new HttpError(
      `${target.name}: HTTP ${res.statusCode}: ${Buffer.concat(firstChunks).toString('utf8').slice(0, 400)}`,
    );
  }
  return { ttfbMs: ttfb < 0 ? total : ttfb, totalMs: total, status: res.statusCode, bytes };
}

/** One request, whole body as text (to check a target answers properly before timing it). */
export async function fetchText(pool: Pool, target: Target, stream: boolean): Promise<{ status: number; text: string }> {
  const body = stream ? target.bodies.stream : target.bodies.nonStream;
  const res = await pool.request({
    method: 'POST',
    path: target.path,
    headers: { ...target.headers, 'content-type': 'application/json', 'content-length': String(body.length) },
    body,
  });
  return { status: res.statusCode, text: await res.body.text() };
}

export interface LatencyResult {
  nonStream: Summary;
  streamTtfb: Summary;
  streamTotal: Summary;
}

/**
 * Sequential latency over several targets, interleaved request by request (target A, B, C, A,
 * B, C, ...) so that machine noise lands on every target alike. Warm-up requests are discarded.
 */
export async function sequentialLatency(
  targets: ReadonlyArray<{ target: Target; pool: Pool }>,
  options: { warmup: number; iterations: number },
): Promise<Map<string, LatencyResult>> {
  const samples = new Map(targets.map(({ target }) => [target.name, { ns: [] as number[], ttfb: [] as number[], st: [] as number[] }]));
  for (let i = 0; i < options.warmup + options.iterations; i++) {
    for (const { target, pool } of targets) {
      const nonStream = await timedRequest(pool, target, false);
      const stream = await timedRequest(pool, target, true);
      if (i < options.warmup) continue;
      const s = samples.get(target.name)!;
      s.ns.push(nonStream.totalMs);
      s.ttfb.push(stream.ttfbMs);
      s.st.push(stream.totalMs);
    }
  }
  const out = new Map<string, LatencyResult>();
  for (const [name, s] of samples) {
    out.set(name, { nonStream: summarize(s.ns), streamTtfb: summarize(s.ttfb), streamTotal: summarize(s.st) });
  }
  return out;
}

export interface ConcurrentResult {
  streams: number;
  failed: number;
  firstError?: string;
  ttfb: Summary;
  total: Summary;
  wallMs: number;
}

/** `count` streaming requests started at once over a pool with `count` connections. */
export async function concurrentStreams(target: Target, count: number): Promise<ConcurrentResult> {
  const pool = createPool(target.origin, count);
  try {
    const start = nowMs();
    const settled = await Promise.allSettled(Array.from({ length: count }, () => timedRequest(pool, target, true)));
    const wallMs = nowMs() - start;
    const ok = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const errors = settled.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message ?? r.reason)] : []));
    return {
      streams: count,
      failed: errors.length,
      ...(errors[0] !== undefined ? { firstError: errors[0] } : {}),
      ttfb: summarize(ok.map((t) => t.ttfbMs)),
      total: summarize(ok.map((t) => t.totalMs)),
      wallMs,
    };
  } finally {
    await pool.close();
  }
}

/** Runs `fn` `warmup + iterations` times in-process; returns the timings of the measured runs. */
export function timeSync(fn: () => unknown, options: { warmup: number; iterations: number }): number[] {
  const out: number[] = [];
  for (let i = 0; i < options.warmup + options.iterations; i++) {
    const start = nowMs();
    fn();
    const elapsed = nowMs() - start;
    if (i >= options.warmup) out.push(elapsed);
  }
  return out;
}
