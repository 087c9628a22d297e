/** Contract-valid States for the tray and notification tests (each one parsed by the contract's schema). */
import { stateSchema, type BackendView, type State } from '../../../../app/api/contract';

type LiveStats = State['stats']['backends'][number];

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

export function live(backend: string, over: Partial<LiveStats> = {}): LiveStats {
  return {
    backend,
    requestsLastMinute: 0,
    rpmLimit: null,
    learnedRpm: null,
    inFlight: 0,
    queued: 0,
    requests: 0,
    rateLimited: 0,
    rateLimitedLastMinute: 0,
    retries: 0,
    overflows: 0,
    errors: 0,
    keyRejected: null,
    consecutiveFailures: 0,
    failovers: 0,
    failedOverTo: null,
    lastOverflowTo: null,
    tokens: { input: 0, output: 0, cached: 0 },
    upstreamQuota: null,
    ...over,
  };
}

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
