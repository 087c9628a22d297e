/**
 * Filters for listing the request log: backend, status (exact "429", class "4xx", or
 * "error" / "ok" / "interrupted"), agent, and a case-insensitive substring over id, models, agent and error.
 */
import type { RequestSummary } from './request-entry';

export interface RequestFilter {
  backend?: string;
  /**
   * "429", "4xx", "5xx", "2xx", "error" (status >= 400, cut short or with an error), "ok",
   * "interrupted" (Patchbay stopped before it ended; also an error).
   */
  status?: string;
  agent?: string;
  text?: string;
}

/** Whether a status filter is well-formed (the API answers 400 otherwise). */
export function isValidStatusFilter(status: string): boolean {
  return /^(\d{3}|[1-5]xx|error|ok|interrupted)$/i.test(status);
}

function isError(e: RequestSummary): boolean {
  return e.status >= 400 || e.status === 0 || e.error !== undefined || e.aborted === true;
}

function statusMatches(e: RequestSummary, filter: string): boolean {
  const f = filter.toLowerCase();
  if (f === 'error') return isError(e);
  if (f === 'ok') return !isError(e);
  if (f === 'interrupted') return e.interrupted === true;
  if (/^[1-5]xx$/.test(f)) return Math.floor(e.status / 100) === Number(f[0]);
  return e.status === Number(f);
}

export function matchesFilter(e: RequestSummary, filter: RequestFilter): boolean {
  if (filter.backend && e.backend !== filter.backend) return false;
  if (filter.agent && e.agent !== filter.agent) return false;
  if (filter.status && !statusMatches(e, filter.status)) return false;
  if (filter.text) {
    const needle = filter.text.toLowerCase();
    const haystack = [e.id, e.modelRequested, e.modelUsed, e.agent, e.error, e.backend, e.upstreamId]
      .filter((s): s is string => typeof s === 'string')
      .some((s) => s.toLowerCase().includes(needle));
    if (!haystack) return false;
  }
  return true;
}
