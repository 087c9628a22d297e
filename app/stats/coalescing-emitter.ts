/**
 * Turns a stream of "something changed" signals into at most one emission per interval.
 * The first change after a quiet spell is emitted on the next tick; changes during the
 * interval that follows are folded into one emission at its end. No listeners or no
 * changes: no timers, nothing emitted.
 */
export class CoalescingEmitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private timer: NodeJS.Timeout | undefined;
  private lastEmit = -Infinity;
  private closed = false;

  constructor(
    private readonly produce: () => T,
    private readonly intervalMs = 250,
  ) {}

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Returns the unsubscribe function (safe to call more than once). */
  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.cancel();
    };
  }

  changed(): void {
    if (this.closed || this.timer || this.listeners.size === 0) return;
    const wait = Math.max(0, this.lastEmit + this.intervalMs - performance.now());
    this.timer = setTimeout(() => this.emit(), wait);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    this.cancel();
    this.listeners.clear();
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private emit(): void {
    this.timer = undefined;
    if (this.listeners.size === 0) return;
    this.lastEmit = performance.now();
    const value = this.produce();
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        console.error('patchbay: stats listener failed:', error);
      }
    }
  }
}
