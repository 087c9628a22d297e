/**
 * Counts events in the last `windowMs` (default one minute) with fixed-size memory:
 * one bucket per `bucketMs` (default one second). The clock is injected so tests need not wait.
 */
export class RollingWindowCounter {
  private readonly counts: number[];
  /** The bucket number (time / bucketMs) each slot currently holds. */
  private readonly slots: number[];

  constructor(
    private readonly now: () => number,
    private readonly windowMs = 60_000,
    private readonly bucketMs = 1_000,
  ) {
    const n = Math.ceil(windowMs / bucketMs);
    this.counts = new Array<number>(n).fill(0);
    this.slots = new Array<number>(n).fill(-Infinity);
  }

  add(count = 1): void {
    const bucket = Math.floor(this.now() / this.bucketMs);
    const i = this.slotOf(bucket);
    if (this.slots[i] !== bucket) {
      this.slots[i] = bucket;
      this.counts[i] = 0;
    }
    this.counts[i] = (this.counts[i] ?? 0) + count;
  }

  /** Events in the window ending now (the current bucket and the ones before it). */
  total(): number {
    const current = Math.floor(this.now() / this.bucketMs);
    const oldest = current - this.counts.length + 1;
    let sum = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const b = this.slots[i]!;
      if (b >= oldest && b <= current) sum += this.counts[i]!;
    }
    return sum;
  }

  private slotOf(bucket: number): number {
    const n = this.counts.length;
    return ((bucket % n) + n) % n;
  }
}
