/**
 * Reads what an upstream says about its rate limits. Understands:
 * - `retry-after` (seconds or HTTP date) and `retry-after-ms`;
 * - OpenAI-style `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (reset as a duration: `6m0s`, `1.5s`, `120ms`);
 * - Anthropic `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}` (reset as RFC 3339);
 * - Moonshot `x-ratelimit-{limit,remaining,reset}`; the reset format is not documented, so it is
 *   read as epoch ms, epoch seconds or delta seconds by magnitude, or as a duration or a date.
 */

/** Header bags as the proxy meets them: Node's IncomingHttpHeaders, undici's, or fetch Headers. */
export type HeaderBag = Record<string, string | string[] | number | undefined> | Headers;

export interface RateLimitInfo {
  limitRequests?: number;
  remainingRequests?: number;
  /** When the request allowance resets, epoch ms. */
  resetAt?: number;
  limitTokens?: number;
  remainingTokens?: number;
  /** When the token allowance resets, epoch ms. */
  tokensResetAt?: number;
  /** What `retry-after` / `retry-after-ms` asks for, ms from now (never negative). */
  retryAfterMs?: number;
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const DURATION_WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Go-style durations as OpenAI sends them: `6m0s`, `1.5s`, `120ms`, `1h2m3s`. */
export function parseDurationMs(value: string): number | undefined {
  const v = value.trim();
  if (!DURATION_WHOLE.test(v)) return undefined;
  let total = 0;
  for (const m of v.matchAll(DURATION_PART)) total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
  return total;
}

/** `retry-after`: delay in seconds, or an HTTP date. Returns ms from `now`, clamped at 0. */
export function parseRetryAfterMs(value: string, now: number): number | undefined {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A reset given in any of the forms upstreams use; returns epoch ms. */
export function parseResetAt(value: string, now: number): number | undefined {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    if (n >= 1e12) return n; // epoch ms
    if (n >= 1e9) return n * 1000; // epoch seconds
    return now + n * 1000; // seconds from now
  }
  const duration = parseDurationMs(v);
  if (duration !== undefined) return now + duration;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : at;
}

export function parseRateLimitHeaders(headers: HeaderBag, now: number = Date.now()): RateLimitInfo {
  const get = headerReader(headers);
  const info: RateLimitInfo = {};
  if (get === undefined) return info; // no rate-limit header at all (most answers of most upstreams)

  const retryAfterMs = numberOf(get('retry-after-ms'));
  const retryAfter = get('retry-after');
  if (retryAfterMs !== undefined) info.retryAfterMs = Math.max(0, retryAfterMs);
  else if (retryAfter !== undefined) set(info, 'retryAfterMs', parseRetryAfterMs(retryAfter, now));

  // Requests: Anthropic, then OpenAI-style, then Moonshot's unsuffixed names.
  const requestSources: Array<[string, string, string]> = [
    ['anthropic-ratelimit-requests-limit', 'anthropic-ratelimit-requests-remaining', 'anthropic-ratelimit-requests-reset'],
    ['x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests'],
    ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
  ];
  for (const [limit, remaining, reset] of requestSources) {
    if (info.limitRequests === undefined) set(info, 'limitRequests', numberOf(get(limit)));
    if (info.remainingRequests === undefined) set(info, 'remainingRequests', numberOf(get(remaining)));
    const r = get(reset);
    if (info.resetAt === undefined && r !== undefined) set(info, 'resetAt', parseResetAt(r, now));
  }

  // Tokens: the most constrained of the families present (fewest remaining).
  const tokenSources: Array<[string, string, string]> = [
    ['anthropic-ratelimit-tokens-limit', 'anthropic-ratelimit-tokens-remaining', 'anthropic-ratelimit-tokens-reset'],
    ['anthropic-ratelimit-input-tokens-limit', 'anthropic-ratelimit-input-tokens-remaining', 'anthropic-ratelimit-input-tokens-reset'],
    ['anthropic-ratelimit-output-tokens-limit', 'anthropic-ratelimit-output-tokens-remaining', 'anthropic-ratelimit-output-tokens-reset'],
    ['x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'],
  ];
  for (const [limit, remaining, reset] of tokenSources) {
    const rem = numberOf(get(remaining));
    const lim = numberOf(get(limit));
    if (rem === undefined && lim === undefined) continue;
    if (info.remainingTokens !== undefined && (rem === undefined || rem >= info.remainingTokens)) continue;
    const r = get(reset);
    info.limitTokens = lim;
    info.remainingTokens = rem;
    info.tokensResetAt = r === undefined ? undefined : parseResetAt(r, now);
  }
  for (const key of ['limitTokens', 'remainingTokens', 'tokensResetAt'] as const) {
    if (info[key] === undefined) delete info[key];
  }
  return info;
}

/**
 * How long the headers say to stay away, ms from `now`: `retry-after` when given, else the
 * request reset when no requests remain. Undefined when they say nothing.
 */
export function rateLimitWaitMs(info: RateLimitInfo, now: number): number | undefined {
  if (info.retryAfterMs !== undefined) return info.retryAfterMs;
  if (info.remainingRequests === 0 && info.resetAt !== undefined) return Math.max(0, info.resetAt - now);
  if (info.remainingTokens === 0 && info.tokensResetAt !== undefined) return Math.max(0, info.tokensResetAt - now);
  return undefined;
}

/** Every name read here starts with one of these. */
const RATE_LIMIT_NAME = /^(?:x-ratelimit|anthropic-ratelimit|retry-after)/i;

/** A reader of the rate-limit headers, undefined when there is none. */
function headerReader(headers: HeaderBag): ((name: string) => string | undefined) | undefined {
  if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).has === 'function') {
    const h = headers as Headers;
    return (name) => h.get(name) ?? undefined;
  }
  let lower: Map<string, string> | undefined;
  const bag = headers as Record<string, string | string[] | number | undefined>;
  for (const k of Object.keys(bag)) {
    const v = bag[k];
    if (v === undefined || !RATE_LIMIT_NAME.test(k)) continue;
    (lower ??= new Map()).set(k.toLowerCase(), Array.isArray(v) ? (v[0] ?? '') : String(v));
  }
  return lower && ((name) => lower.get(name));
}

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

function set<K extends keyof RateLimitInfo>(info: RateLimitInfo, key: K, value: RateLimitInfo[K] | undefined): void {
  if (value !== undefined) info[key] = value;
}
