/**
 * The upstream's own view of its quota, for the live stats, as read by the one rate-limit
 * header parser (app/limits/rate-limit-headers.ts: OpenAI `x-ratelimit-*-{requests,tokens}`,
 * Anthropic `anthropic-ratelimit-*`, Moonshot `x-ratelimit-{limit,remaining,reset}`).
 */
import { parseRateLimitHeaders as parseLimits, type HeaderBag } from '../limits/rate-limit-headers';


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

export type HeaderSource = HeaderBag;

function count(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}

function iso(ms: number | undefined): string | undefined {
  return ms !== undefined && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** The quota the headers state, or undefined when they state none (retry-after alone is no quota). */
export function parseRateLimitHeaders(headers: HeaderSource, now: number): UpstreamQuota | undefined {
  const info = parseLimits(headers, now);
  const fields: Array<[keyof Omit<UpstreamQuota, 'observedAt'>, string | number | undefined]> = [
    ['requestsRemaining', count(info.remainingRequests)],
    ['requestsLimit', count(info.limitRequests)],
    ['requestsResetAt', iso(info.resetAt)],
    ['tokensRemaining', count(info.remainingTokens)],
    ['tokensLimit', count(info.limitTokens)],
    ['tokensResetAt', iso(info.tokensResetAt)],
  ];
  let quota: UpstreamQuota | undefined;
  for (const [key, value] of fields) {
    if (value === undefined) continue;
    quota ??= { observedAt: new Date(now).toISOString() }; // only for headers that state a quota
    (quota as unknown as Record<string, unknown>)[key] = value;
  }
  return quota;
}
