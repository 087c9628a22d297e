/**
 * What a backend's view and live stats say needs a person, shared by the tray's icon, tooltip and
 * menu: no key, the key refused by the upstream, the upstream failing (failures in a row or
 * requests failing over), rate limited now (several 429s in the last minute).
 */
import type { BackendView, State } from '../../app/api/contract';

export type BackendLiveStats = State['stats']['backends'][number];

export type BackendProblem =
  | { kind: 'no-key' }
  | { kind: 'key-rejected'; status: number }
  | { kind: 'failing'; failures: number; failedOverTo: string | null }
  | { kind: 'rate-limited'; lastMinute: number };

/** Failures in a row that make a backend "failing": one is a blip the retry usually hides. */
export const FAILING_AFTER = 2;
/** 429s in the last minute that make a backend "rate limited": one or two are what pacing absorbs. */
export const RATE_LIMITED_AFTER = 3;

export function findBackend(state: State, id: string): BackendView | undefined {
  return state.backends.find((b) => b.id === id);
}

export function statsOf(state: State, id: string): BackendLiveStats | undefined {
  return state.stats.backends.find((b) => b.backend === id);
}

/** The name a person knows a backend by (its id when it has no name). */
export function displayName(state: State, id: string): string {
  return findBackend(state, id)?.name ?? id;
}

/** The problems of one backend, most pressing first. */
export function backendProblems(view: BackendView, stats: BackendLiveStats | undefined): BackendProblem[] {
  const problems: BackendProblem[] = [];
  if (!view.key.set && view.apiKey !== 'none') problems.push({ kind: 'no-key' });
  if (stats?.keyRejected) problems.push({ kind: 'key-rejected', status: stats.keyRejected.status });
  if (stats && (stats.consecutiveFailures >= FAILING_AFTER || stats.failedOverTo !== null)) {
    problems.push({ kind: 'failing', failures: stats.consecutiveFailures, failedOverTo: stats.failedOverTo });
  }
  if (stats && stats.rateLimitedLastMinute >= RATE_LIMITED_AFTER) problems.push({ kind: 'rate-limited', lastMinute: stats.rateLimitedLastMinute });
  return problems;
}

/** A few words for a menu item's suffix. */
export function problemLabel(problem: BackendProblem): string {
  switch (problem.kind) {
    case 'no-key':
      return 'no key';
    case 'key-rejected':
      return `key rejected (${problem.status})`;
    case 'failing':
      return 'failing';
    case 'rate-limited':
      return 'rate limited';
  }
}

/** One sentence for the tooltip and the popover: what is wrong and what to do. */
export function problemSentence(state: State, name: string, problem: BackendProblem): string {
  switch (problem.kind) {
    case 'no-key':
      return `${name}: no key. Open Patchbay to add one.`;
    case 'key-rejected':
      return `${name}: key rejected (${problem.status}). Open Patchbay to fix it.`;
    case 'failing': {
      const over = problem.failedOverTo !== null ? displayName(state, problem.failedOverTo) : null;
      // Failing over without failures in a row: it was rate limited (or its queue too long).
      if (problem.failures < FAILING_AFTER) return `${name}: requests are failing over to ${over}.`;
      return `${name}: upstream failing (${problem.failures} failures in a row)${over !== null ? `; requests go to ${over}` : ''}.`;
    }
    case 'rate-limited':
      return `${name}: rate limited (${problem.lastMinute} × 429 in the last minute).`;
  }
}
