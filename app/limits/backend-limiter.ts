/**
 * Proactive pacing per backend: never more than `rpm` request starts in any 60 s (sliding
 * window), at most `maxConcurrency` in flight, a FIFO queue for the rest. A burst flows at
 * the allowed rate instead of collecting 429s. `penalize` pauses a backend after an upstream
 * 429. Time comes from an injectable Clock.
 */
import { abortReason } from './abort';
import { systemClock, type Clock, type TimerHandle } from './clock';
import { QueueTimeoutError } from './queue-timeout-error';

export { QueueTimeoutError, isQueueTimeoutError } from './queue-timeout-error';

export interface BackendLimits {
  /** Request starts allowed in any 60 s window; unlimited when absent. */
  rpm?: number;
  /** Requests in flight at most; unlimited when absent. */
  maxConcurrency?: number;
}

export interface AcquireOptions {
  /** Aborting removes the request from the queue (rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Longest wait in the queue; defaults to the limiter's `defaultMaxWaitMs`. */
  maxWaitMs?: number;
  /** Called once when the request has to queue, with its 1-based position. */
  onQueued?: (position: number) => void;
}

/** The right to send one request upstream. Release it when the exchange is over (idempotent). */
export interface Permit {
  readonly backendId: string;
  /** Time spent queued before the permit was granted. */
  readonly queuedMs: number;
  release(): void;
}

export interface LimiterStats {
  inFlight: number;
  queued: number;
  startsLastMinute: number;
  rpm: number | undefined;
  maxConcurrency: number | undefined;
  /** Epoch ms until which the backend is paused by `penalize`, when in the future. */
  pausedUntil: number | undefined;
}

export interface BackendLimiterOptions {
  clock?: Clock;
  /** Default for `AcquireOptions.maxWaitMs` (120 s). */
  defaultMaxWaitMs?: number;
}

export const WINDOW_MS = 60_000;
export const DEFAULT_MAX_WAIT_MS = 120_000;

interface Waiter {
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

  constructor(limits: Record<string, BackendLimits> = {}, options: BackendLimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.defaultMaxWaitMs = options.defaultMaxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    for (const [id, l] of Object.entries(limits)) this.configure(id, l);
  }

  /** Set (or change, e.g. on config reload) a backend's limits. Unknown backends are unlimited. */
  configure(backendId: string, limits: BackendLimits): void {
    this.state(backendId).limits = { ...limits };
    this.pump(this.state(backendId));
  }

  acquire(backendId: string, options: AcquireOptions = {}): Promise<Permit> {
    const { signal, onQueued } = options;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const s = this.state(backendId);
    const now = this.clock.now();
    const maxWaitMs = options.maxWaitMs ?? this.defaultMaxWaitMs;

    if (s.queue.length === 0 && this.hasFreeSlot(s) && this.earliestStart(s, 0) <= now) {
      return Promise.resolve(this.grant(s, now));
    }
    // The rate (and any pause) gives a lower bound for this request's start: refuse up-front
    // when even that is too late. Waits caused by the concurrency cap are not predictable.
    const predicted = this.earliestStart(s, s.queue.length);
    if (predicted - now > maxWaitMs) {
      return Promise.reject(new QueueTimeoutError(backendId, retryAfterSeconds(predicted - now), 0));
    }

    return new Promise<Permit>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      const onAbort = (): void => {
        if (this.remove(s, waiter)) reject(abortReason(signal as AbortSignal));
        this.pump(s);
      };
      const waiter: Waiter = {
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
      s.queue.push(waiter);
      onQueued?.(s.queue.length);
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
    return Math.max(0, this.earliestStart(s, s.queue.length) - this.clock.now());
  }

  stats(backendId: string): LimiterStats {
    const s = this.state(backendId);
    const now = this.clock.now();
    this.prune(s, now);
    return {
      inFlight: s.inFlight,
      queued: s.queue.length,
      startsLastMinute: s.starts.length,
      rpm: s.limits.rpm,
      maxConcurrency: s.limits.maxConcurrency,
      pausedUntil: s.pausedUntil > now ? s.pausedUntil : undefined,
    };
  }

  private state(backendId: string): BackendState {
    let s = this.backends.get(backendId);
    if (!s) {
      s = { id: backendId, limits: {}, starts: [], inFlight: 0, queue: [], pausedUntil: 0, pumpTimer: undefined };
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

  /**
   * Earliest time the request at queue position `index` can start, counting only the rate
   * and the pause (each request ahead takes the earliest slot left).
   */
  private earliestStart(s: BackendState, index: number): number {
    const now = this.clock.now();
    this.prune(s, now);
    let t = Math.max(now, s.pausedUntil);
    const rpm = s.limits.rpm;
    if (rpm === undefined) return t;
    const starts = s.starts.slice(-rpm);
    for (let i = 0; ; i++) {
      if (starts.length >= rpm) t = Math.max(t, (starts[starts.length - rpm] as number) + WINDOW_MS);
      if (i === index) return t;
      starts.push(t);
    }
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
    s.starts.push(now);
    s.inFlight++;
    let released = false;
    return {
      backendId: s.id,
      queuedMs: now - enqueuedAt,
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
