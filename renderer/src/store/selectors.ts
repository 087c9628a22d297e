/**
 * Derived state, computed from the store (never copied into it): the active backend, one card
 * per backend (its config joined with its live numbers), the lines that need a person, and the
 * Log's filtered rows. Selectors that build new arrays are memoised on their inputs so React
 * re-renders only when those change.
 */
import type { BackendView, RequestSummary, State } from '../../../app/api/contract';
import type { LogFilter, PatchbayState } from './patchbay-store';

type BackendStats = NonNullable<PatchbayState['stats']>['backends'][number];

export interface BackendCard {
  view: BackendView;
  stats: BackendStats | null;
  active: boolean;
  /** The rate that limits this backend now: the learned one when lower than the configured one. */
  effectiveRpm: number | null;
}

export interface Attention {
  tone: 'bad' | 'warn';
  text: string;
  backend?: string;
}

/** The value of a Loadable that has (or had) one. */
function valueOf<T>(l: { status: string; value?: T }): T | undefined {
  return l.value;
}

export const selectEngine = (s: PatchbayState): State | undefined => valueOf(s.engine as { status: string; value?: State });

export function selectActiveBackend(s: PatchbayState): BackendView | undefined {
  const engine = selectEngine(s);
  return engine?.backends.find((b) => b.id === engine.active);
}

function memo<A extends unknown[], R>(compute: (...args: A) => R): (...args: A) => R {
  let lastArgs: A | undefined;
  let lastResult: R;
  return (...args: A) => {
    if (lastArgs && args.length === lastArgs.length && args.every((a, i) => Object.is(a, lastArgs![i]))) return lastResult;
    lastArgs = args;
    lastResult = compute(...args);
    return lastResult;
  };
}

const cardsOf = memo((engine: State | undefined, stats: PatchbayState['stats']): BackendCard[] => {
  if (!engine) return [];
  return engine.backends.map((view) => {
    const live = (stats ?? engine.stats).backends.find((b) => b.backend === view.id) ?? null;
    const limit = live?.rpmLimit ?? view.rpm ?? null;
    const learned = live?.learnedRpm ?? null;
    return {
      view,
      stats: live,
      active: view.id === engine.active,
      effectiveRpm: learned !== null && (limit === null || learned < limit) ? learned : limit,
    };
  });
});

export const selectBackendCards = (s: PatchbayState): BackendCard[] => cardsOf(selectEngine(s), s.stats);

function hasKeyProblem(view: BackendView): boolean {
  return !view.key.set && view.apiKey !== 'none';
}

function latestFinished(rows: readonly RequestSummary[], backend: string, max = 50): RequestSummary[] {
  const out: RequestSummary[] = [];
  for (let i = rows.length - 1; i >= 0 && out.length < max; i--) {
    const r = rows[i]!;
    if (!r.inFlight && r.backend === backend) out.push(r);
  }
  return out;
}

const attentionOf = memo((engine: State | undefined, cards: BackendCard[], rows: readonly RequestSummary[], connection: PatchbayState['connection']): Attention[] => {
  const lines: Attention[] = [];
  if (connection === 'offline') lines.push({ tone: 'bad', text: 'Patchbay is not answering. Numbers below are the last ones seen.' });
  if (connection === 'signed-out') lines.push({ tone: 'bad', text: 'Signed out: open the dashboard link printed by `patchbay serve` again.' });
  if (!engine) return lines;
  if (engine.paused) lines.push({ tone: 'warn', text: 'Patchbay is paused: agents are told to wait and retry. Resume to serve again.' });
  const active = cards.find((c) => c.active);
  const name = (id: string) => engine.backends.find((b) => b.id === id)?.name ?? id;
  if (active && hasKeyProblem(active.view)) {
    const how = active.view.apiKey.startsWith('env:') ? `set ${active.view.apiKey.slice(4)} or add one in Backends` : 'add one in Backends';
    lines.push({ tone: 'bad', backend: active.view.id, text: `${name(active.view.id)} has no key: ${how}.` });
  }
  if (active) {
    const recent = latestFinished(rows, active.view.id, 5);
    const last = recent[0];
    if (last && (last.status === 401 || last.status === 403)) {
      lines.push({ tone: 'bad', backend: active.view.id, text: `${name(active.view.id)} rejected the key (HTTP ${last.status}): replace it in Backends.` });
    } else if (recent.length >= 3 && recent.slice(0, 3).every((r) => r.status >= 500 || (r.status === 0 && r.error))) {
      lines.push({ tone: 'bad', backend: active.view.id, text: `${name(active.view.id)} is failing: the last ${recent.length >= 3 ? 3 : recent.length} requests ended in errors.` });
    }
    const s = active.stats;
    if (s && (s.queued > 0 || (s.learnedRpm !== null && (s.rpmLimit === null || s.learnedRpm < s.rpmLimit)))) {
      const pace = s.learnedRpm !== null ? `paced at ${formatRate(s.learnedRpm)}/min` : `${s.queued} queued`;
      lines.push({ tone: 'warn', backend: active.view.id, text: `${name(active.view.id)} is rate limited: ${pace}.` });
    }
  }
  const lastRow = rows[rows.length - 1];
  const failover = [...rows].slice(-20).reverse().find((r) => r.failoverFrom);
  if (failover && lastRow && failover === lastRow && failover.backend) {
    lines.push({ tone: 'warn', backend: failover.backend, text: `Failover active: ${name(failover.failoverFrom!)} -> ${name(failover.backend)}.` });
  }
  return lines;
});

function formatRate(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export const selectAttention = (s: PatchbayState): Attention[] => attentionOf(selectEngine(s), selectBackendCards(s), s.log.rows, s.connection);

export function statusClassOf(row: RequestSummary): string {
  if (row.inFlight) return 'inflight';
  if (row.status === 0 || row.error || row.status >= 400) return 'error';
  return 'ok';
}

export function rowMatches(row: RequestSummary, f: LogFilter): boolean {
  if (f.backend && row.backend !== f.backend) return false;
  if (f.agent && row.agent !== f.agent) return false;
  if (f.status) {
    const cls = statusClassOf(row);
    if (f.status === 'inflight' || f.status === 'ok' || f.status === 'error') {
      if (cls !== f.status) return false;
    } else if (f.status === 'interrupted') {
      if (!row.interrupted) return false;
    } else if (/^\dxx$/.test(f.status)) {
      if (row.inFlight || Math.floor(row.status / 100) !== Number(f.status[0])) return false;
    } else if (String(row.status) !== f.status) return false;
  }
  if (f.text) {
    const needle = f.text.toLowerCase();
    const hay = [row.id, row.agent, row.backend, row.modelRequested, row.modelUsed, row.error, row.path, String(row.status), ...(row.notes ?? [])];
    if (!hay.some((v) => v !== undefined && v.toLowerCase().includes(needle))) return false;
  }
  return true;
}

const filteredOf = memo((rows: readonly RequestSummary[], filter: LogFilter): RequestSummary[] => {
  const out: RequestSummary[] = [];
  // Newest first, as the table shows them.
  for (let i = rows.length - 1; i >= 0; i--) if (rowMatches(rows[i]!, filter)) out.push(rows[i]!);
  return out;
});

/** The Log's rows, newest first, after its filters. */
export const selectVisibleRows = (s: PatchbayState): RequestSummary[] => filteredOf(s.log.rows, s.logFilter);

const distinctOf = memo((rows: readonly RequestSummary[]) => {
  const agents = new Set<string>();
  for (const r of rows) agents.add(r.agent);
  return [...agents].sort();
});

/** Agent names seen in the rows (for the Log's filter). */
export const selectSeenAgents = (s: PatchbayState): string[] => distinctOf(s.log.rows);
