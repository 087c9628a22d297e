import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RollingWindowCounter } from '../../../app/stats/rolling-window';

test('counts events of the last minute and forgets older ones (injected clock)', () => {
  let t = 1_700_000_000_000;
  const w = new RollingWindowCounter(() => t);
  w.add();
  w.add();
  w.add();
  assert.equal(w.total(), 3);
  t += 30_000;
  w.add(2);
  assert.equal(w.total(), 5);
  t += 30_500; // the first three are now more than a minute old
  assert.equal(w.total(), 2);
  t += 29_000;
  assert.equal(w.total(), 2);
  t += 1_000;
  assert.equal(w.total(), 0);
});

test('a slot reused after a full turn starts from zero', () => {
  let t = 0;
  const w = new RollingWindowCounter(() => t, 10_000, 1_000);
  w.add(5);
  t = 10_000; // same slot, next turn
  w.add(1);
  assert.equal(w.total(), 1);
  t = 1_000_000; // long idle
  assert.equal(w.total(), 0);
});
