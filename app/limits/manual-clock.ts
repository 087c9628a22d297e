/**
 * A clock that only moves when told to. Timers fire in time order (ties in creation order)
 * and promise continuations run between firings, so async code driven by it behaves as it
 * would in real time, without waiting. For tests (this repo's and the proxy's).
 */
import type { Clock, TimerHandle } from './clock';

interface PendingTimer {
  at: number;
  id: number;
  fn: () => void;
}

/** Let queued promise continuations (and what they schedule) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class ManualClock implements Clock {
  private nowMs: number;
  private nextId = 1;
  private readonly timers = new Map<number, PendingTimer>();

  constructor(startMs = 1_800_000_000_000) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.nowMs + Math.max(0, ms), id, fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Number of timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Time of the next timer, if any. */
  nextTimerAt(): number | undefined {
    return this.earliest()?.at;
  }

  /** Move time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms;
    await settle();
    for (let next = this.earliest(); next && next.at <= target; next = this.earliest()) {
      this.timers.delete(next.id);
      this.nowMs = Math.max(this.nowMs, next.at);
      next.fn();
      await settle();
    }
    this.nowMs = target;
    await settle();
  }

  /**
   * Fire timers one after another until `done()` holds or no timer is left.
   * Bounded by `maxSteps` so a test can never spin forever.
   */
  async runUntil(done: () => boolean, maxSteps = 10_000): Promise<void> {
    await settle();
    for (let step = 0; step < maxSteps && !done(); step++) {
      const next = this.earliest();
      if (!next) return;
      await this.advance(next.at - this.nowMs);
    }
  }

  private earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    }
    return best;
  }
}
