import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isoTime } from '../../../app/log/iso-time';

test('isoTime writes what toISOString writes, for any time, fractional and out-of-range ones included', () => {
  const now = Date.now();
  fc.assert(
    fc.property(
      fc.oneof(
        fc.integer({ min: now - 86_400_000, max: now + 86_400_000 }),
        fc.double({ min: 0, max: 253_402_300_799_999, noNaN: true }),
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
      ),
      (ms) => {
        assert.equal(isoTime(ms), new Date(ms).toISOString());
      },
    ),
    { numRuns: 5000 },
  );
});

test('isoTime: consecutive times within and across seconds, and edge milliseconds', () => {
  const base = Date.UTC(2026, 11, 4, 9, 30, 59);
  for (const ms of [base, base + 1, base + 9, base + 10, base + 99, base + 100, base + 999, base + 1000, base + 999.9, base - 1, 0, 253_402_300_799_999]) {
    assert.equal(isoTime(ms), new Date(ms).toISOString(), String(ms));
  }
  assert.throws(() => isoTime(Number.NaN), RangeError, 'an invalid time fails as toISOString does');
});
