// The soak's arithmetic: a wrong slope or window would print "flat" for a leak, or the reverse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonWindowMs, relativeChange, slopePerMinute, summarizeWindow } from '../../../bench/soak-stats';

test('slope of a line sampled every 5 s is its rise per minute', () => {
  const samples = Array.from({ length: 13 }, (_, i) => ({ tMs: i * 5000, value: 100 + 2 * (i * 5000) / 60_000 }));
  assert.ok(Math.abs(slopePerMinute(samples) - 2) < 1e-9);
});

test('slope of noise around a flat level is near zero; of a falling series, negative', () => {
  const flat = [10, 12, 9, 11, 10, 12, 9, 11].map((value, i) => ({ tMs: i * 1000, value }));
  assert.ok(Math.abs(slopePerMinute(flat)) < 5, `flat slope ${slopePerMinute(flat)}`);
  const falling = [50, 40, 30].map((value, i) => ({ tMs: i * 60_000, value }));
  assert.equal(slopePerMinute(falling), -10);
});

test('slope is NaN without two distinct times', () => {
  assert.ok(Number.isNaN(slopePerMinute([])));
  assert.ok(Number.isNaN(slopePerMinute([{ tMs: 0, value: 1 }])));
  assert.ok(Number.isNaN(slopePerMinute([{ tMs: 5, value: 1 }, { tMs: 5, value: 9 }])));
});

test('the compared windows are a minute, or a third of a shorter run', () => {
  assert.equal(comparisonWindowMs(180_000), 60_000);
  assert.equal(comparisonWindowMs(30_000), 10_000);
});

test('a window holds the samples from its start up to (not including) its end', () => {
  const samples = [
    { tMs: 0, value: 1 },
    { tMs: 999, value: 2 },
    { tMs: 1000, value: 30 },
    { tMs: 1500, value: 40 },
  ];
  const first = summarizeWindow(samples, 0, 1000);
  assert.equal(first.count, 2);
  assert.equal(first.max, 2);
  const last = summarizeWindow(samples, 1000, Number.POSITIVE_INFINITY);
  assert.deepEqual([last.count, last.p50, last.p99], [2, 30, 40]);
});

test('relative change: growth positive, shrink negative, NaN from nothing', () => {
  assert.equal(relativeChange(100, 110), 0.1);
  assert.equal(relativeChange(100, 80), -0.2);
  assert.ok(Number.isNaN(relativeChange(0, 5)));
});
