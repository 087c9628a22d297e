/** Contract-shaped sample data for the UI's unit tests (state, backends, stats, request rows). */
import type { BackendView, RequestSummary, State } from '../../../app/api/contract';
import { quietLiveStats } from '../../fixtures/live-stats';

export function backend(id: string, over: Partial<BackendView> = {}): BackendView {
  return {
    id,
    format: id.startsWith('nim') ? 'openai' : 'anthropic',
    baseUrl: id.startsWith('nim') ? 'https://integrate.api.nvidia.com/v1' : 'https://api.moonshot.ai/anthropic',
    apiKey: 'keychain',
    model: id.startsWith('nim') ? 'moonshotai/kimi-k2.6' : 'kimi-k2.6',
    key: { set: true, last4: '3f9a', source: 'keychain' },
    quirksInForce: 'kimi',
    ...over,
  };
}

/** A quiet backend's live stats (test/fixtures/live-stats.ts, shared with the tray's tests). */
export const liveStats = quietLiveStats;

export function state(over: Partial<State> = {}): State {
  return {
    active: 'nim',
    backends: [backend('nim', { rpm: 40 }), backend('moonshot')],
    failover: [],
    paused: false,
    stats: { time: '2026-11-25T12:00:00.000Z', backends: [liveStats('nim', { rpmLimit: 40 }), liveStats('moonshot')] },
    requestLog: { skippedLines: 0, interrupted: 0, writeErrors: 0, dropped: 0, failing: null, inFlight: 0, keepBodies: false },
    ...over,
  };
}

let seq = 0;
export function row(over: Partial<RequestSummary> = {}): RequestSummary {
  seq += 1;
  return {
    id: `req-${String(seq).padStart(6, '0')}`,
    time: new Date(Date.UTC(2026, 10, 25, 12, 0, 0) + seq * 1000).toISOString(),
    agent: 'claude-code',
    inboundFormat: 'anthropic',
    backend: 'nim',
    modelRequested: 'claude-sonnet-4-5',
    modelUsed: 'moonshotai/kimi-k2.6',
    status: 200,
    latencyMs: 1200,
    ttftMs: 300,
    tokens: { input: 1000, output: 200, cached: 500 },
    streamed: true,
    retries: 0,
    queueWaitMs: 0,
    bytesIn: 1000,
    bytesOut: 2000,
    hasBodies: false,
    ...over,
  };
}
