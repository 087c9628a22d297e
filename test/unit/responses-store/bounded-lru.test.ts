/** BoundedLru: eviction by count, total size and age (injected clock), recency on get, oversize refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedLru } from '../../../app/responses-store/bounded-lru';

function clock(start = 1_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

test('count limit: the least recently used goes first, and a get makes an entry recent', () => {
  const lru = new BoundedLru<string>({ maxEntries: 3, maxSize: 1000, ttlMs: 60_000 });
  lru.set('a', 'A', 1);
  lru.set('b', 'B', 1);
  lru.set('c', 'C', 1);
  assert.equal(lru.get('a'), 'A'); // a is now the most recent; b is the oldest
  lru.set('d', 'D', 1);
  assert.equal(lru.get('b'), undefined);
  assert.deepEqual(['a', 'c', 'd'].map((k) => lru.get(k)), ['A', 'C', 'D']);
  assert.equal(lru.count, 3);
});

test('size limit: entries are evicted oldest first until the new one fits; sizes are accounted', () => {
  const lru = new BoundedLru<string>({ maxEntries: 100, maxSize: 10, ttlMs: 60_000 });
  lru.set('a', 'A', 4);
  lru.set('b', 'B', 4);
  assert.equal(lru.size, 8);
  lru.set('c', 'C', 5); // 13 > 10: a goes, 9 fits
  assert.equal(lru.get('a'), undefined);
  assert.equal(lru.get('b'), 'B');
  assert.equal(lru.size, 9);
  lru.set('b', 'B2', 2); // replacing an entry frees its old size first
  assert.equal(lru.size, 7);
  assert.equal(lru.get('b'), 'B2');
});

test('an entry larger than the whole limit is refused and evicts nothing', () => {
  const lru = new BoundedLru<string>({ maxEntries: 10, maxSize: 10, ttlMs: 60_000 });
  lru.set('a', 'A', 5);
  assert.equal(lru.set('huge', 'H', 11), false);
  assert.equal(lru.get('huge'), undefined);
  assert.equal(lru.get('a'), 'A');
});

test('TTL: an entry is gone ttlMs after it was set, even when it was read since; expired ones free their size', () => {
  const c = clock();
  const lru = new BoundedLru<string>({ maxEntries: 10, maxSize: 10, ttlMs: 1_000, now: c.now });
  lru.set('a', 'A', 6);
  c.advance(999);
  assert.equal(lru.get('a'), 'A');
  c.advance(1);
  assert.equal(lru.get('a'), undefined);
  assert.equal(lru.size, 0);

  lru.set('b', 'B', 6);
  c.advance(500);
  lru.set('c', 'C', 3);
  c.advance(500); // b expired, c has 500 ms left
  lru.set('d', 'D', 6); // the sweep drops b: c stays although 6 + 3 + 6 > 10 before it
  assert.equal(lru.get('c'), 'C');
  assert.equal(lru.get('d'), 'D');
  assert.equal(lru.size, 9);
});

test('limits must be positive', () => {
  assert.throws(() => new BoundedLru({ maxEntries: 0, maxSize: 1, ttlMs: 1 }), /maxEntries/);
  assert.throws(() => new BoundedLru({ maxEntries: 1, maxSize: Number.NaN, ttlMs: 1 }), /maxSize/);
});
