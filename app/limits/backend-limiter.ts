/**
 * Proactive pacing per backend: starts spaced evenly at the backend's rate (GCRA: one start per
 * 60000/rpm ms; after a quiet spell up to `burstFor(rpm)` at once, an advance on the following
 * intervals, not extra starts), at most `maxConcurrency` in flight, a FIFO queue for the rest.
 * A burst of requests flows at the allowed rate instead of collecting 429s. The rate is learned (adaptive-rate.ts): upstream 429s
 * reported with `upstreamRefused` cut it, accepted requests (`upstreamAccepted`) raise it back.
 * A refused request re-acquires with `front: true` and goes ahead of later arrivals.
 * `penalize` pauses a backend (retry-after); `observeHeaders` pauses it when an answer's
 * rate-limit headers say nothing remains until a reset. Time comes from an injectable Clock.
 */
import { abortReason } from './abort';
import { AdaptiveRate } from './adaptive-rate';
import { systemClock, type Clock, type TimerHandle } from './clock';
import { burstFor, intervalMs } from './gcra';
import type { CancelSignal } from './cancellation';
import { QueueTimeoutError } from './queue-timeout-error';
import { parseRateLimitHeaders, rateLimitWaitMs, type HeaderBag } from './rate-limit-headers';

export { QueueTimeoutError, isQueueTimeoutError } from './queue-timeout-error';

export interface BackendLimits {
  /** Requests per minute, spaced evenly; unlimited when absent (until the upstream answers 429). */
  rpm?: number;
  /** Requests in flight at most; unlimited when absent. */
  maxConcurrency?: number;
}

export interface AcquireOptions {
  /** Aborting removes the request from the queue (rejects with the signal's reason). */
  signal?: CancelSignal;
  /** Longest wait in the queue; defaults to the limiter's `defaultMaxWaitMs`. */
  maxWaitMs?: number;
  /** Called once when the request has to queue, with its 1-based position. */
  onQueued?: (position: number) => void;
  /**
   * Queue at the head, behind only the `front` requests that arrived strictly before it: for a
   * request the upstream refused, which must not go behind everyone who arrived after it.
   */
  front?: boolean;
  /** When the request first arrived (epoch ms; default now): orders the `front` requests. */
  arrivedAt?: number;
}

/** The right to send one request upstream. Release it when the exchange is over (idempotent). */
export interface Permit {
  readonly backendId: string;
  /** Time spent queued before the permit was granted. */
  readonly queuedMs: number;
  /** When it was granted (epoch ms): when the request was sent. */
  readonly startedAt: number;
  release(): void;
}

export interface LimiterStats {
  inFlight: number;
  queued: number;
  startsLastMinute: number;
  /** The configured rpm. */
  rpm: number | undefined;
  /** The rate learned from 429s, while below the configured one (or while the backend has none). */
  learnedRpm: number | undefined;
  maxConcurrency: number | undefined;
  /** Epoch ms until which the backend is paused by `penalize`, when in the future. */
  pausedUntil: number | undefined;
}

/** A backend's configured and learned rates, as `onRateChange` reports them. */
export interface BackendRates {
  rpm: number | undefined;
  learnedRpm: number | undefined;
}

export type RateListener = (backendId: string, rates: BackendRates) => void;

export interface BackendLimiterOptions {
  clock?: Clock;
  /** Default for `AcquireOptions.maxWaitMs` (120 s). */
  defaultMaxWaitMs?: number;
}

/** Window of `startsLastMinute` and of the sending rate observed before a first 429. */
export const WINDOW_MS = 60_000;
export const DEFAULT_MAX_WAIT_MS = 120_000;
/** Recent span over which a backend with no rate is seen sending (extrapolated to a minute). */
const RECENT_MS = 10_000;
/**
 * The least a backend with no rate is taken to have been sending at when it first answers 429:
 * one request refused after a quiet spell says "not now", not "one a minute" (its retries then
 * probe at 2 s, 4 s, ... as the rate halves, like a backoff).
 */
const MIN_OBSERVED_RPM = 60;

interface Waiter {
  front: boolean;
  arrivedAt: number;
  enqueuedAt: number;
  deadline: number;
  settled: boolean;
  resolve(permit: Permit): void;
  reject(error: unknown): void;
  cleanup(): void;
}

interface BackendState {
  id: string;
  limits: BackendLimits;
  rate: AdaptiveRate;
  /**
   * GCRA's theoretical arrival time: a queued request starts at `tat` (one interval after the
   * previous start); a request finding the queue empty may start up to (burst - 1) intervals
   * earlier, counting only idle time since `creditFrom` (a cut takes the credit away).
   */
  tat: number;
  creditFrom: number;
  /** Start times within the last window, ascending. */
  starts: number[];
  inFlight: number;
  queue: Waiter[];
  pausedUntil: number;
  pumpTimer: TimerHandle | undefined;
}

export class BackendLimiter {
  private readonly clock: Clock;
  private readonly defaultMaxWaitMs: number;
  private readonly backends = new Map<string, BackendState>();
  private readonly rateListeners = new Set<RateListener>();

  constructor(limits: Record<string, BackendLimits> = {}, options: BackendLimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.defaultMaxWaitMs = options.defaultMaxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    for (const [id, l] of Object.entries(limits)) this.configure(id, l);
  }

  /** Set (or change, e.g. on config reload) a backend's limits. Unknown backends are unlimited. */
  configure(backendId: string, limits: BackendLimits): void {
    const s = this.state(backendId);
    s.limits = { ...limits };
    const learned = s.rate.learnedRpm;
    s.rate.configure(limits.rpm);
    if (s.rate.learnedRpm !== learned) this.rateChanged(s);
    this.pump(s);
  }

  /**
   * The upstream answered the request of `permit` with a 429: cut the backend's rate (once per
   * round, see adaptive-rate.ts) and space the next start by the new interval.
   */
  upstreamRefused(permit: Permit): void {
    const s = this.state(permit.backendId);
    const now = this.clock.now();
    if (!s.rate.refused(permit.startedAt, now, this.observedRpm(s, now))) return;
    const rpm = s.rate.rpm as number;
    // No burst right after a cut: the next start comes one new interval from now.
    s.tat = Math.max(s.tat, now + intervalMs(rpm));
    s.creditFrom = s.tat;
    this.rateChanged(s);
    this.pump(s);
  }

  /** The upstream accepted the request of `permit` (any answer but a 429): the rate may rise. */
  upstreamAccepted(permit: Permit): void {
    const s = this.state(permit.backendId);
    if (!s.rate.acceptedAt(permit.startedAt, this.clock.now())) return;
    // The next start is one new (shorter) interval after the last one, not the old interval.
    const rpm = s.rate.rpm;
    const last = s.starts[s.starts.length - 1];
    if (last !== undefined) s.tat = Math.min(s.tat, last + (rpm === undefined ? 0 : intervalMs(rpm)));
    this.rateChanged(s);
    this.pump(s);
  }

  /**
   * Read any upstream answer's rate-limit headers: when they say nothing remains until a reset
   * (x-ratelimit-remaining-requests: 0, anthropic-ratelimit-*, Moonshot's, or tokens), pause the
   * backend until then, before the upstream has to answer 429.
   */
  observeHeaders(backendId: string, headers: HeaderBag): void {
    const now = this.clock.now();
    const info = parseRateLimitHeaders(headers, now);
    delete info.retryAfterMs; // only a refusal's retry-after means "wait"
    const waitMs = rateLimitWaitMs(info, now);
    if (waitMs !== undefined && waitMs > 0) this.penalize(backendId, now + waitMs);
  }

  /** Be told when a backend's learned rate changes. Returns the unsubscribe function. */
  onRateChange(listener: RateListener): () => void {
    this.rateListeners.add(listener);
    return () => this.rateListeners.delete(listener);
  }

  /** A backend's configured and learned rates. */
  rates(backendId: string): BackendRates {
    const { rate } = this.state(backendId);
    return { rpm: rate.configuredRpm, learnedRpm: rate.learnedRpm };
  }

  acquire(backendId: string, options: AcquireOptions = {}): Promise<Permit> {
    const { signal, onQueued } = options;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const s = this.state(backendId);
    const now = this.clock.now();
    const maxWaitMs = options.maxWaitMs ?? this.defaultMaxWaitMs;
    const front = options.front === true;
    const arrivedAt = options.arrivedAt ?? now;
    const position = front ? s.queue.filter((w) => w.front && w.arrivedAt < arrivedAt).length : s.queue.length;

    if (position === 0 && this.hasFreeSlot(s) && this.earliestStart(s, 0, s.queue.length === 0) <= now) {
      return Promise.resolve(this.grant(s, now));
    }
    // The rate (and any pause) gives a lower bound for this request's start: refuse up-front
    // when even that is too late. Waits caused by the concurrency cap are not predictable.
    const predicted = this.earliestStart(s, position);
    if (predicted - now > maxWaitMs) {
      return Promise.reject(new QueueTimeoutError(backendId, retryAfterSeconds(predicted - now), 0));
    }

    return new Promise<Permit>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      const onAbort = (): void => {
        if (this.remove(s, waiter)) reject(abortReason(signal as CancelSignal));
        this.pump(s);
      };
      const waiter: Waiter = {
        front,
        arrivedAt,
        enqueuedAt: now,
        deadline: now + maxWaitMs,
        settled: false,
        resolve,
        reject,
        cleanup: () => {
          if (timer !== undefined) this.clock.clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      if (Number.isFinite(maxWaitMs)) {
        timer = this.clock.setTimeout(() => {
          timer = undefined;
          this.pump(s); // a start falling due at the deadline still counts
          if (waiter.settled) return;
          const t = this.clock.now();
          const index = s.queue.indexOf(waiter);
          const wait = this.earliestStart(s, Math.max(0, index)) - t;
          if (this.remove(s, waiter)) reject(new QueueTimeoutError(backendId, retryAfterSeconds(wait), t - now));
          this.pump(s);
        }, maxWaitMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      s.queue.splice(position, 0, waiter);
      onQueued?.(position + 1);
      this.pump(s);
    });
  }

  /**
   * Pause a backend until `untilMs` (epoch ms), e.g. after a 429 with retry-after. Queued
   * requests that can no longer start before their deadline are refused now, not at the deadline.
   */
  penalize(backendId: string, untilMs: number): void {
    const s = this.state(backendId);
    if (untilMs <= s.pausedUntil) return;
    s.pausedUntil = untilMs;
    const now = this.clock.now();
    for (let i = 0; i < s.queue.length; ) {
      const waiter = s.queue[i] as Waiter;
      const start = this.earliestStart(s, i);
      if (start > waiter.deadline && this.remove(s, waiter)) {
        waiter.reject(new QueueTimeoutError(backendId, retryAfterSeconds(start - now), now - waiter.enqueuedAt));
      } else {
        i++;
      }
    }
    this.pump(s);
  }

  /** Lower bound of the queue wait a new request would have now (ms; 0 when it would start at once). */
  estimateWaitMs(backendId: string): number {
    const s = this.state(backendId);
    return Math.max(0, this.earliestStart(s, s.queue.length, s.queue.length === 0) - this.clock.now());
  }

  stats(backendId: string): LimiterStats {
    const s = this.state(backendId);
    const now = this.clock.now();
    this.prune(s, now);
    return {
      inFlight: s.inFlight,
      queued: s.queue.length,
      startsLastMinute: s.starts.length,
      rpm: s.rate.configuredRpm,
      learnedRpm: s.rate.learnedRpm,
      maxConcurrency: s.limits.maxConcurrency,
      pausedUntil: s.pausedUntil > now ? s.pausedUntil : undefined,
    };
  }

  private state(backendId: string): BackendState {
    let s = this.backends.get(backendId);
    if (!s) {
      s = {
        id: backendId,
        limits: {},
        rate: new AdaptiveRate(),
        tat: 0,
        creditFrom: -Infinity,
        starts: [],
        inFlight: 0,
        queue: [],
        pausedUntil: 0,
        pumpTimer: undefined,
      };
      this.backends.set(backendId, s);
    }
    return s;
  }

  private hasFreeSlot(s: BackendState): boolean {
    const cap = s.limits.maxConcurrency;
    return cap === undefined || s.inFlight < cap;
  }

  private prune(s: BackendState, now: number): void {
    let drop = 0;
    while (drop < s.starts.length && (s.starts[drop] as number) <= now - WINDOW_MS) drop++;
    if (drop > 0) s.starts.splice(0, drop);
  }

  /** The rate a backend was being sent at: starts in the last minute, or the recent pace if higher (at least MIN_OBSERVED_RPM). */
  private observedRpm(s: BackendState, now: number): number {
    this.prune(s, now);
    const recent = s.starts.filter((t) => t > now - RECENT_MS).length;
    return Math.max(MIN_OBSERVED_RPM, s.starts.length, (recent * WINDOW_MS) / RECENT_MS);
  }

  /**
   * Earliest time the request at queue position `index` can start, counting only the rate
   * and the pause (each request ahead takes the earliest slot left). `idle`: the request finds
   * the queue empty and may use the burst credit; queued requests are spaced one interval
   * apart, so an event-loop stall never lets a saturated queue out in a burst.
   */
  private earliestStart(s: BackendState, index: number, idle = false): number {
    const now = this.clock.now();
    let t = Math.max(now, s.pausedUntil);
    const rpm = s.rate.rpm;
    if (rpm === undefined) return t;
    const interval = intervalMs(rpm);
    const credit = idle ? Math.min((burstFor(rpm) - 1) * interval, Math.max(0, now - s.creditFrom)) : 0;
    let tat = s.tat;
    for (let i = 0; ; i++) {
      t = Math.max(t, Math.ceil((i === 0 ? tat - credit : tat) - 0.01)); // no 1 ms late start from float rounding
      if (i === index) return t;
      tat = Math.max(tat, t) + interval;
    }
  }

  private rateChanged(s: BackendState): void {
    const rates = this.rates(s.id);
    for (const listener of this.rateListeners) listener(s.id, rates);
  }

  /** Start queued requests that may start now; otherwise arm a timer for when the head may. */
  private pump(s: BackendState): void {
    if (s.pumpTimer !== undefined) {
      this.clock.clearTimeout(s.pumpTimer);
      s.pumpTimer = undefined;
    }
    while (s.queue.length > 0 && this.hasFreeSlot(s)) {
      const now = this.clock.now();
      const at = this.earliestStart(s, 0);
      if (at > now) {
        s.pumpTimer = this.clock.setTimeout(() => {
          s.pumpTimer = undefined;
          this.pump(s);
        }, at - now);
        return;
      }
      const waiter = s.queue.shift() as Waiter;
      waiter.settled = true;
      waiter.cleanup();
      waiter.resolve(this.grant(s, now, waiter.enqueuedAt));
    }
  }

  private grant(s: BackendState, now: number, enqueuedAt = now): Permit {
    this.prune(s, now);
    s.starts.push(now);
    const rpm = s.rate.rpm;
    if (rpm !== undefined) s.tat = Math.max(s.tat, now) + intervalMs(rpm);
    s.inFlight++;
    let released = false;
    return {
      backendId: s.id,
      queuedMs: now - enqueuedAt,
      startedAt: now,
      release: () => {
        if (released) return;
        released = true;
        s.inFlight--;
        this.pump(s);
      },
    };
  }

  /** Take a waiter out of the queue; false when it was already granted or refused. */
  private remove(s: BackendState, waiter: Waiter): boolean {
    if (waiter.settled) return false;
    waiter.settled = true;
    waiter.cleanup();
    const i = s.queue.indexOf(waiter);
    if (i >= 0) s.queue.splice(i, 1);
    return true;
  }
}

function retryAfterSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}
