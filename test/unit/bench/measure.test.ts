// The benchmark's statistics: if these are wrong, every number in docs/benchmarks.md is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, summarize } from '../../../bench/measure';

test('nearest-rank percentiles', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(hundred, 50), 50);
  assert.equal(percentile(hundred, 99), 99);
  assert.equal(percentile(hundred, 100), 100);
  assert.equal(percentile(hundred, 0), 1);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('summarize sorts its input and reports count, p50, p99, mean, min, max', () => {
  const s = summarize([5, 1, 4, 2, 3]);
  assert.deepEqual(s, { count: 5, p50: 3, p99: 5, mean: 3, min: 1, max: 5 });
  const empty = summarize([]);
  assert.equal(empty.count, 0);
  assert.ok(Number.isNaN(empty.p50) && Number.isNaN(empty.mean));
});
