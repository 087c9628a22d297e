/**
 * Live numbers per backend for the UI: requests sent in the last minute against its rpm limit
 * (configured, and the rate the limiter learned from 429s: `followLimiter`), in flight, queued,
 * 429s seen, retries, errors, token totals since start and the upstream's
 * own remaining quota (from its rate-limit headers), and what needs a person (a key the upstream
 * refused, failures in a row, requests failed over or overflowed elsewhere: read by the tray's
 * status and notification rules). `subscribe` delivers snapshots coalesced
 * to at most one per `emitIntervalMs` while something changes, and nothing while idle
 * (apart from the last-minute counts decaying, re-checked every `decayCheckMs`).
 *
 * Callers report each upstream attempt: `attemptStarted` when it is sent, `attemptEnded` when
 * it is over (however it ended), `retried` when a failed attempt is retried, and
 * `queueEntered`/`queueLeft` around waiting for a slot.
 */
import type { BackendRates, RateListener } from '../limits/backend-limiter';
import type { TokenCounts } from '../log/request-entry';
import { CoalescingEmitter } from './coalescing-emitter';
import { parseRateLimitHeaders } from './rate-limit-headers';
import type { HeaderSource, UpstreamQuota } from './rate-limit-headers';
import { RollingWindowCounter } from './rolling-window';

export interface BackendLiveStats {
  backend: string;
  requestsLastMinute: number;
  /** The backend's configured requests-per-minute limit, null when it has none. */
  rpmLimit: number | null;
  /**
   * The rate the limiter learned from the upstream's 429s and paces at now (rounded to 0.1),
   * while it is below `rpmLimit` (or the backend has none); null when not learning.
   */
  learnedRpm: number | null;
  inFlight: number;
  queued: number;
  /** Attempts sent upstream since start. */
  requests: number;
  /** 429 answers seen from the upstream. */
  rateLimited: number;
  /** 429 answers in the last minute. */
  rateLimitedLastMinute: number;
  retries: number;
  /** Prompts over this backend's context window sent to its `overflowTo` backend. */
  overflows: number;
  /** Failed attempts other than 429s (upstream errors, network failures). */
  errors: number;
  /**
   * The upstream refused the key (401 or 403) and no attempt has succeeded here since: the
   * status and when. Cleared by the next accepted (2xx) answer.
   */
  keyRejected: { status: number; at: string } | null;
  /** Upstream failures in a row (5xx, no answer, a stream cut); any answer below 500 ends the run. */
  consecutiveFailures: number;
  /** Requests this backend could not serve that went to another one in the failover list. */
  failovers: number;
  /** Where this backend's requests last failed over to, until a request succeeds here again. */
  failedOverTo: string | null;
  /** Where the last prompt over this backend's context window went (its `overflowTo`). */
  lastOverflowTo: string | null;
  tokens: TokenCounts;
  upstreamQuota: UpstreamQuota | null;
}

export interface StatsSnapshot {
  time: string;
  backends: BackendLiveStats[];
}

export interface AttemptOutcome {
  /** Upstream HTTP status; 0 or absent when there was none (network error, timeout). */
  status?: number;
  /** The attempt failed without a status (or with one: then status decides). */
  failed?: boolean;
  /** The client hung up during the attempt: counted, but it says nothing of the upstream's health. */
  clientGone?: boolean;
  tokens?: Partial<TokenCounts>;
}

/** What `followLimiter` needs of the limiter (app/limits/backend-limiter.ts). */
export interface RateSource {
  onRateChange(listener: RateListener): () => void;
  rates(backendId: string): BackendRates;
}

export interface LiveStatsOptions {
  now?: () => number;
  emitIntervalMs?: number;
  decayCheckMs?: number;
  backends?: Array<{ id: string; rpm?: number }>;
}

interface BackendState {
  id: string;
  rpm: number | null;
  learnedRpm: number | null;
  window: RollingWindowCounter;
  inFlight: number;
  queued: number;
  requests: number;
  rateLimited: number;
  rateLimitedWindow: RollingWindowCounter;
  retries: number;
  overflows: number;
  errors: number;
  keyRejected: { status: number; at: string } | null;
  consecutiveFailures: number;
  failovers: number;
  failedOverTo: string | null;
  lastOverflowTo: string | null;
  tokens: TokenCounts;
  quota: UpstreamQuota | null;
}

export class LiveStats {
  private readonly backends = new Map<string, BackendState>();
  private readonly now: () => number;
  private readonly emitter: CoalescingEmitter<StatsSnapshot>;
  private readonly decayCheckMs: number;
  private decayTimer: NodeJS.Timeout | undefined;
  private lastWindowKey = '';
  private unfollow: (() => void) | undefined;

  constructor(options: LiveStatsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.decayCheckMs = options.decayCheckMs ?? 1_000;
    this.emitter = new CoalescingEmitter(() => this.emitted(), options.emitIntervalMs ?? 250);
    if (options.backends) this.configureBackends(options.backends);
  }

  /** Set the backends shown and their rpm limits (counters of known backends are kept). */
  configureBackends(backends: Array<{ id: string; rpm?: number }>): void {
    for (const b of backends) this.state(b.id).rpm = b.rpm ?? null;
    this.emitter.changed();
  }

  /** Show the limiter's learned rate per backend, updated as it changes (until `close`). */
  followLimiter(limiter: RateSource): void {
    this.unfollow?.();
    for (const s of this.backends.values()) s.learnedRpm = learnedOf(limiter.rates(s.id));
    this.unfollow = limiter.onRateChange((backend, rates) => this.rateLearned(backend, rates.learnedRpm));
    this.emitter.changed();
  }

  /** The limiter now paces `backend` at a learned rate (undefined: back to the configured one). */
  rateLearned(backend: string, learnedRpm: number | undefined): void {
    const s = this.state(backend);
    const next = learnedOf({ rpm: undefined, learnedRpm });
    if (next === s.learnedRpm) return;
    s.learnedRpm = next;
    this.emitter.changed();
  }

  attemptStarted(backend: string): void {
    const s = this.state(backend);
    s.window.add();
    s.requests += 1;
    s.inFlight += 1;
    this.emitter.changed();
  }

  attemptEnded(backend: string, outcome: AttemptOutcome = {}): void {
    const s = this.state(backend);
    s.inFlight = Math.max(0, s.inFlight - 1);
    const status = outcome.status ?? 0;
    if (status === 429) {
      s.rateLimited += 1;
      s.rateLimitedWindow.add();
    } else if (status >= 400 || outcome.failed) s.errors += 1;
    if (!outcome.clientGone) this.trackHealth(s, status, outcome.failed === true);
    if (outcome.tokens) {
      s.tokens = {
        input: s.tokens.input + (outcome.tokens.input ?? 0),
        output: s.tokens.output + (outcome.tokens.output ?? 0),
        cached: s.tokens.cached + (outcome.tokens.cached ?? 0),
      };
    }
    this.emitter.changed();
  }

  /** A prompt over `from`'s context window went to `to` (its `overflowTo`). */
  overflowed(from: string, to: string): void {
    const s = this.state(from);
    s.overflows += 1;
    s.lastOverflowTo = to;
    this.emitter.changed();
  }

  /** A request `from` could not serve went to `to` (the next backend in the failover list); once per request. */
  failedOver(from: string, to: string): void {
    const s = this.state(from);
    s.failovers += 1;
    s.failedOverTo = to;
    this.emitter.changed();
  }

  /** The backend's key was set or deleted: a refusal of the old key says nothing of the new one. */
  keyChanged(backend: string): void {
    const s = this.backends.get(backend);
    if (!s?.keyRejected) return;
    s.keyRejected = null;
    this.emitter.changed();
  }

  retried(backend: string): void {
    this.state(backend).retries += 1;
    this.emitter.changed();
  }

  queueEntered(backend: string): void {
    this.state(backend).queued += 1;
    this.emitter.changed();
  }

  queueLeft(backend: string): void {
    const s = this.state(backend);
    s.queued = Math.max(0, s.queued - 1);
    this.emitter.changed();
  }

  /** Record the upstream's quota from a response's headers (ignored when they state none). */
  observeHeaders(backend: string, headers: HeaderSource): void {
    const quota = parseRateLimitHeaders(headers, this.now());
    if (!quota) return;
    this.state(backend).quota = quota;
    this.emitter.changed();
  }

  snapshot(): StatsSnapshot {
    return {
      time: new Date(this.now()).toISOString(),
      backends: [...this.backends.values()].map((s) => ({
        backend: s.id,
        requestsLastMinute: s.window.total(),
        rpmLimit: s.rpm,
        learnedRpm: s.learnedRpm,
        inFlight: s.inFlight,
        queued: s.queued,
        requests: s.requests,
        rateLimited: s.rateLimited,
        rateLimitedLastMinute: s.rateLimitedWindow.total(),
        retries: s.retries,
        overflows: s.overflows,
        errors: s.errors,
        keyRejected: s.keyRejected ? { ...s.keyRejected } : null,
        consecutiveFailures: s.consecutiveFailures,
        failovers: s.failovers,
        failedOverTo: s.failedOverTo,
        lastOverflowTo: s.lastOverflowTo,
        tokens: { ...s.tokens },
        upstreamQuota: s.quota ? { ...s.quota } : null,
      })),
    };
  }

  /** Receive coalesced snapshots while something changes. Returns the unsubscribe function. */
  subscribe(listener: (snapshot: StatsSnapshot) => void): () => void {
    const unsubscribe = this.emitter.subscribe(listener);
    this.scheduleDecayCheck();
    return () => {
      unsubscribe();
      if (this.emitter.listenerCount === 0) this.stopDecayCheck();
    };
  }

  get listenerCount(): number {
    return this.emitter.listenerCount;
  }

  close(): void {
    this.unfollow?.();
    this.unfollow = undefined;
    this.emitter.close();
    this.stopDecayCheck();
  }

  private state(backend: string): BackendState {
    let s = this.backends.get(backend);
    if (!s) {
      s = {
        id: backend,
        rpm: null,
        learnedRpm: null,
        window: new RollingWindowCounter(this.now),
        inFlight: 0,
        queued: 0,
        requests: 0,
        rateLimited: 0,
        rateLimitedWindow: new RollingWindowCounter(this.now),
        retries: 0,
        overflows: 0,
        errors: 0,
        keyRejected: null,
        consecutiveFailures: 0,
        failovers: 0,
        failedOverTo: null,
        lastOverflowTo: null,
        tokens: { input: 0, output: 0, cached: 0 },
        quota: null,
      };
      this.backends.set(backend, s);
    }
    return s;
  }

  /** What an ended attempt says about the backend's key and health (status 0: no answer). */
  private trackHealth(s: BackendState, status: number, failed: boolean): void {
    if (status === 401 || status === 403) {
      s.keyRejected = { status, at: new Date(this.now()).toISOString() };
    } else if (status >= 200 && status < 300 && !failed) {
      s.keyRejected = null;
      s.failedOverTo = null;
    }
    // A 200 whose stream then broke is the upstream failing; a 4xx answer is about the request.
    const upstreamFailed = status >= 500 || (failed && status < 400);
    if (upstreamFailed) s.consecutiveFailures += 1;
    else if (status > 0 && status !== 429) s.consecutiveFailures = 0;
  }

  private windowKey(snapshot: StatsSnapshot): string {
    return snapshot.backends.map((b) => `${b.requestsLastMinute}/${b.rateLimitedLastMinute}`).join(',');
  }

  /** Produce a snapshot for subscribers and remember its last-minute counts. */
  private emitted(): StatsSnapshot {
    const snapshot = this.snapshot();
    this.lastWindowKey = this.windowKey(snapshot);
    this.scheduleDecayCheck();
    return snapshot;
  }

  /** While last-minute counts are non-zero, re-check them so subscribers see them fall. */
  private scheduleDecayCheck(): void {
    if (this.decayTimer || this.emitter.listenerCount === 0) return;
    const anyRecent = [...this.backends.values()].some((s) => s.window.total() > 0 || s.rateLimitedWindow.total() > 0);
    if (!anyRecent) return;
    this.decayTimer = setTimeout(() => {
      this.decayTimer = undefined;
      if (this.windowKey(this.snapshot()) !== this.lastWindowKey) this.emitter.changed();
      else this.scheduleDecayCheck();
    }, this.decayCheckMs);
    this.decayTimer.unref();
  }

  private stopDecayCheck(): void {
    if (this.decayTimer) clearTimeout(this.decayTimer);
    this.decayTimer = undefined;
  }
}

function learnedOf(rates: BackendRates): number | null {
  return rates.learnedRpm === undefined ? null : Math.round(rates.learnedRpm * 10) / 10;
}
