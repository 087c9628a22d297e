/**
 * The live line for the active backend: requests sent in the last minute against the rate it is
 * paced at, e.g. `NIM · 12/40 req/min`. When the limiter learned a lower rate from 429s, that is
 * the rate that counts (`NIM · 12/20 req/min (slowed from 40)`); without any limit, `no limit`.
 */
import type { State } from '../../app/api/contract';
import { displayName, findBackend, statsOf } from './backend-health';

export function rateText(state: State, id: string): string {
  const stats = statsOf(state, id);
  const count = stats?.requestsLastMinute ?? 0;
  const limit = stats ? stats.rpmLimit : (findBackend(state, id)?.rpm ?? null);
  const learned = stats?.learnedRpm ?? null;
  if (learned !== null) {
    return `${count}/${rate(learned)} req/min (${limit !== null ? `slowed from ${rate(limit)}` : 'slowed after 429s'})`;
  }
  if (limit !== null) return `${count}/${rate(limit)} req/min`;
  return `${count} req/min, no limit`;
}

/** `NIM · 12/40 req/min` for the active backend. */
export function liveLine(state: State): string {
  return `${displayName(state, state.active)} · ${rateText(state, state.active)}`;
}

/** Whole numbers as they are; a learned rate to one decimal. */
function rate(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
