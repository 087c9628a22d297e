/**
 * The upstream's own view of its quota, read from response headers:
 * - OpenAI style: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (reset as a duration, "6m0s");
 * - Anthropic: `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}` (reset as RFC 3339);
 * - Moonshot: `x-ratelimit-{limit,remaining,reset}` (requests; reset as seconds or a timestamp).
 */
export interface UpstreamQuota {
  requestsRemaining?: number;
  requestsLimit?: number;
  /** ISO time the request quota resets. */
  requestsResetAt?: string;
  tokensRemaining?: number;
  tokensLimit?: number;
  tokensResetAt?: string;
  /** When these headers were seen (ISO). */
  observedAt: string;
}

export type HeaderSource = Headers | Record<string, string | string[] | number | undefined>;

function headerGetter(headers: HeaderSource): (name: string) => string | undefined {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return (name) => headers.get(name) ?? undefined;
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
    if (v === undefined) continue;
    lower.set(k.toLowerCase(), Array.isArray(v) ? String(v[0]) : String(v));
  }
  return (name) => lower.get(name);
}

function count(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;

/** "6m0s", "1h2m3.5s", "20ms" -> milliseconds. */
export function parseDurationMs(text: string): number | undefined {
  const t = text.trim();
  if (!/^(\d+(?:\.\d+)?(ms|h|m|s))+$/.test(t)) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
  let ms = 0;
  for (const m of t.matchAll(DURATION_PART)) ms += Number(m[1]) * (unit[m[2]!] ?? 0);
  return ms;
}

/** A reset value in any of the seen spellings -> ISO time, or undefined. */
export function parseResetAt(value: string | undefined, now: number): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    if (n > 1e12) return new Date(n).toISOString(); // epoch ms
    if (n > 1e9) return new Date(n * 1000).toISOString(); // epoch seconds
    return new Date(now + n * 1000).toISOString(); // seconds from now
  }
  const duration = parseDurationMs(v);
  if (duration !== undefined) return new Date(now + duration).toISOString();
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : new Date(date).toISOString();
}

/** The quota the headers state, or undefined when they state none. */
export function parseRateLimitHeaders(headers: HeaderSource, now: number): UpstreamQuota | undefined {
  const get = headerGetter(headers);
  const first = (...names: string[]): string | undefined => {
    for (const n of names) {
      const v = get(n);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const quota: UpstreamQuota = { observedAt: new Date(now).toISOString() };
  const fields: Array<[keyof Omit<UpstreamQuota, 'observedAt'>, string | number | undefined]> = [
    ['requestsRemaining', count(first('x-ratelimit-remaining-requests', 'anthropic-ratelimit-requests-remaining', 'x-ratelimit-remaining'))],
    ['requestsLimit', count(first('x-ratelimit-limit-requests', 'anthropic-ratelimit-requests-limit', 'x-ratelimit-limit'))],
    ['requestsResetAt', parseResetAt(first('x-ratelimit-reset-requests', 'anthropic-ratelimit-requests-reset', 'x-ratelimit-reset'), now)],
    ['tokensRemaining', count(first('x-ratelimit-remaining-tokens', 'anthropic-ratelimit-tokens-remaining'))],
    ['tokensLimit', count(first('x-ratelimit-limit-tokens', 'anthropic-ratelimit-tokens-limit'))],
    ['tokensResetAt', parseResetAt(first('x-ratelimit-reset-tokens', 'anthropic-ratelimit-tokens-reset'), now)],
  ];
  let any = false;
  for (const [key, value] of fields) {
    if (value === undefined) continue;
    (quota as unknown as Record<string, unknown>)[key] = value;
    any = true;
  }
  return any ? quota : undefined;
}
