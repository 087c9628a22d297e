/** Contract-valid States for the tray and notification tests (each one parsed by the contract's schema). */
import { stateSchema, type BackendView, type State } from '../../../../app/api/contract';
import { quietLiveStats, type LiveStats } from '../../../fixtures/live-stats';

export function view(id: string, over: Partial<BackendView> = {}): BackendView {
  return {
    id,
    format: 'openai',
    baseUrl: `https://${id}.example/v1`,
    apiKey: 'keychain',
    model: 'kimi-k2.6',
    key: { set: true, last4: '3f9a', source: 'keychain' },
    quirksInForce: 'kimi',
    ...over,
  };
}

/** A quiet backend's live stats (test/fixtures/live-stats.ts, shared with the UI's tests). */
export const live = quietLiveStats;

/** NIM (40 rpm) and Moonshot, NIM active, both with keys and quiet; `over` replaces parts. */
export function state(over: { active?: string; backends?: BackendView[]; stats?: LiveStats[]; failover?: string[]; paused?: boolean } = {}): State {
  const backends = over.backends ?? [view('nim', { name: 'NIM', rpm: 40 }), view('moonshot', { name: 'Moonshot', format: 'anthropic' })];
  return stateSchema.parse({
    active: over.active ?? 'nim',
    backends,
    failover: over.failover ?? ['moonshot'],
    paused: over.paused ?? false,
    stats: { time: '2026-05-01T12:00:00.000Z', backends: over.stats ?? backends.map((b) => live(b.id, { rpmLimit: b.rpm ?? null })) },
    requestLog: { skippedLines: 0, interrupted: 0, writeErrors: 0, dropped: 0, failing: null, inFlight: 0, keepBodies: false },
  });
}

/** The state with one backend's live stats changed. */
export function withStats(s: State, backend: string, over: Partial<LiveStats>): State {
  return { ...s, stats: { ...s.stats, backends: s.stats.backends.map((b) => (b.backend === backend ? { ...b, ...over } : b)) } };
}
