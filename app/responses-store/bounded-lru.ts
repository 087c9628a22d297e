/**
 * A bounded in-memory map: at most `maxEntries` entries and `maxSize` total size (each entry's
 * size given when set), least recently used evicted first, and every entry dropped `ttlMs` after
 * it was set. Hand-rolled on a Map (insertion order = recency) because no LRU library is a
 * dependency of Patchbay; the clock is injectable so tests can age entries.
 */

export interface BoundedLruLimits {
  maxEntries: number;
  /** Total of the entries' sizes (the caller's unit, e.g. bytes). */
  maxSize: number;
  ttlMs: number;
  /** Milliseconds clock; `Date.now` unless a test injects one. */
  now?: () => number;
}

interface Slot<V> {
  value: V;
  size: number;
  expiresAt: number;
}

export class BoundedLru<V> {
  private readonly slots = new Map<string, Slot<V>>();
  private total = 0;
  private readonly now: () => number;

  constructor(private readonly limits: BoundedLruLimits) {
    for (const key of ['maxEntries', 'maxSize', 'ttlMs'] as const) {
      if (!(limits[key] > 0)) throw new RangeError(`BoundedLru: ${key} must be a positive number`);
    }
    this.now = limits.now ?? Date.now;
  }

  /** Entries held (expired ones not yet swept included). */
  get count(): number {
    return this.slots.size;
  }

  /** Total size held. */
  get size(): number {
    return this.total;
  }

  /**
   * Set `key` as the most recently used entry, evicting the least recently used until the limits
   * hold. Returns false (and holds nothing for `key`) when `size` alone exceeds `maxSize`.
   */
  set(key: string, value: V, size: number): boolean {
    this.delete(key);
    if (size > this.limits.maxSize) return false;
    this.sweepExpired();
    while (this.slots.size >= this.limits.maxEntries || this.total + size > this.limits.maxSize) this.evictOldest();
    this.slots.set(key, { value, size, expiresAt: this.now() + this.limits.ttlMs });
    this.total += size;
    return true;
  }

  /** The value of `key`, made the most recently used; undefined when absent or expired. */
  get(key: string): V | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    if (slot.expiresAt <= this.now()) {
      this.delete(key);
      return undefined;
    }
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.value;
  }

  delete(key: string): boolean {
    const slot = this.slots.get(key);
    if (!slot) return false;
    this.slots.delete(key);
    this.total -= slot.size;
    return true;
  }

  private evictOldest(): void {
    const oldest = this.slots.keys().next();
    if (!oldest.done) this.delete(oldest.value);
  }

  /** Drop expired entries (all share one TTL, so the oldest-set expire first; recency reorders, hence the full scan). */
  private sweepExpired(): void {
    const now = this.now();
    for (const [key, slot] of this.slots) if (slot.expiresAt <= now) this.delete(key);
  }
}
