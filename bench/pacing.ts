/**
 * Pacing under a hidden upstream limit (issue 6 point 3), through the whole engine on loopback:
 * 30 concurrent non-streaming requests through a backend configured at rpm 55, then at rpm 600
 * (misconfigured), to a fake NIM that really allows 10 per 10 s and answers NIM's bare 429 (no
 * retry-after). Reports client 429s, upstream refusals, requests in the request log, total time
 * and the learned rate at the end. Targets: rpm 55 -> 0 client 429s, all 30 logged, <= 3
 * refusals; rpm 600 -> 0 client 429s and the refusals stop after the first few.
 *
 * `runPacingBench()` is what `npm run bench` calls; `node --import tsx bench/pacing.ts` runs it
 * alone. Knob: BENCH_PACING_SCALE (1 = real time, ~1.5 min; 5 = 5x faster: 10 per 2 s with the
 * rates 5x, every ratio unchanged).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEngine } from '../app/runtime/engine';
import { startFakeNim } from '../test/fakes/fake-nim';
import { hiddenRateLimit } from '../test/fakes/hidden-rate-limit';

export interface PacingCaseResult {
  /** Configured rpm, in real-time terms (divided by the scale). */
  rpm: number;
  requests: number;
  clientOk: number;
  client429s: number;
  clientOther: number;
  upstreamRefusals: number;
  /** Upstream requests after the last refusal (all accepted): how early it converged. */
  acceptedAfterLastRefusal: number;
  /** When the last refusal happened, real-time ms from the start (undefined: none). */
  lastRefusalMs: number | undefined;
  requestsLogged: number;
  /** Wall time of the burst, scaled back to real time (ms). */
  totalMs: number;
  /** The limiter's learned rate at the end, in real-time rpm (undefined: at the configured rate). */
  learnedRpm: number | undefined;
}

export interface PacingBenchResult {
  scale: number;
  /** The hidden limit, in real-time terms. */
  upstreamLimit: string;
  cases: PacingCaseResult[];
}

const LIMIT = 10;
const WINDOW_MS = 10_000;
const CONCURRENT = 30;

export async function runPacingCase(rpm: number, scale = 1): Promise<PacingCaseResult> {
  const hidden = hiddenRateLimit({ limit: LIMIT, windowMs: WINDOW_MS / scale });
  const nim = await startFakeNim({ brain: hidden.brain });
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-bench-pacing-'));
  const clientToken = `pb-client-${randomBytes(16).toString('hex')}`;
  const adminToken = `pb-admin-${randomBytes(16).toString('hex')}`;
  const configPath = join(dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      clientToken,
      adminToken,
      active: 'nim',
      backends: [{ id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:NIM_KEY', model: 'moonshotai/kimi-k2.6', rpm: rpm * scale }],
    }),
  );
  const engine = await startEngine({ configPath, dataDir: join(dir, 'data'), env: { NIM_KEY: nim.key }, keychainService: `patchbay-bench-${randomBytes(4).toString('hex')}` });
  try {
    const url = await engine.listen('127.0.0.1', 0);
    const started = Date.now();
    const statuses = await Promise.all(
      [...Array(CONCURRENT).keys()].map(async (i) => {
        const res = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${clientToken}` },
          body: JSON.stringify({ model: 'moonshotai/kimi-k2.6', max_tokens: 50, messages: [{ role: 'user', content: `hello ${i}` }] }),
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    const totalMs = (Date.now() - started) * scale;
    let requestsLogged = 0;
    for (let i = 0; i < 50 && requestsLogged < CONCURRENT; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 50));
      const res = await fetch(`${url}/api/requests?limit=100`, { headers: { authorization: `Bearer ${adminToken}` } });
      requestsLogged = ((await res.json()) as { items: Array<{ inFlight?: true }> }).items.filter((e) => !e.inFlight).length;
    }
    const lastRefusal = Math.max(-1, ...hidden.refusedAt);
    const learned = engine.stats.snapshot().backends.find((b) => b.backend === 'nim')?.learnedRpm ?? null;
    return {
      rpm,
      requests: CONCURRENT,
      clientOk: statuses.filter((s) => s === 200).length,
      client429s: statuses.filter((s) => s === 429).length,
      clientOther: statuses.filter((s) => s !== 200 && s !== 429).length,
      upstreamRefusals: hidden.refusedAt.length,
      acceptedAfterLastRefusal: hidden.acceptedAt.filter((t) => t > lastRefusal).length,
      lastRefusalMs: lastRefusal < 0 ? undefined : lastRefusal * scale,
      requestsLogged,
      totalMs,
      learnedRpm: learned === null ? undefined : learned / scale,
    };
  } finally {
    await engine.close();
    await nim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runPacingBench(options: { scale?: number } = {}): Promise<PacingBenchResult> {
  const scale = options.scale ?? 1;
  const cases: PacingCaseResult[] = [];
  for (const rpm of [55, 600]) cases.push(await runPacingCase(rpm, scale));
  return { scale, upstreamLimit: `${LIMIT} per ${WINDOW_MS / 1000} s (sliding), bare 429`, cases };
}

export function formatPacingReport(result: PacingBenchResult): string {
  const header = ['configured rpm', 'client 200', 'client 429', 'other', 'upstream 429s', 'last 429 at s', 'ok after it', 'logged', 'total s', 'learned rpm'];
  const rows = result.cases.map((c) => [
    String(c.rpm),
    `${c.clientOk}/${c.requests}`,
    String(c.client429s),
    String(c.clientOther),
    String(c.upstreamRefusals),
    c.lastRefusalMs === undefined ? '-' : (c.lastRefusalMs / 1000).toFixed(1),
    String(c.acceptedAfterLastRefusal),
    `${c.requestsLogged}/${c.requests}`,
    (c.totalMs / 1000).toFixed(1),
    c.learnedRpm === undefined ? '-' : c.learnedRpm.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const scaleNote = result.scale === 1 ? 'real time' : `time scaled ${result.scale}x, figures in real-time terms`;
  return [
    `Pacing: ${CONCURRENT} concurrent requests, upstream really allows ${result.upstreamLimit} (${scaleNote})`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const scale = Number(process.env.BENCH_PACING_SCALE ?? '1');
  if (!(scale >= 1)) throw new Error(`BENCH_PACING_SCALE must be a number >= 1, got "${process.env.BENCH_PACING_SCALE}"`);
  const result = await runPacingBench({ scale });
  console.log(formatPacingReport(result));
  process.exit(0);
}
