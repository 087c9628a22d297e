// The learned rate's arithmetic (AIMD), on plain numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdaptiveRate, MIN_RPM } from '../../../app/limits/adaptive-rate';

test('a 429 halves the rate; 429s for requests sent before that cut do not cut again', () => {
  const rate = new AdaptiveRate(60);
  assert.equal(rate.rpm, 60);
  assert.equal(rate.learnedRpm, undefined);
  assert.equal(rate.refused(1000, 1100, 0), true);
  assert.equal(rate.rpm, 30);
  assert.equal(rate.learnedRpm, 30);
  // Same round: sent at 1050, before the cut at 1100.
  assert.equal(rate.refused(1050, 1200, 0), false);
  assert.equal(rate.rpm, 30);
  // Sent after the cut, at the new rate: cuts again.
  assert.equal(rate.refused(1300, 1400, 0), true);
  assert.equal(rate.rpm, 15);
});

test('accepted requests add a small constant step, back up to the configured rate where learning stops', () => {
  const rate = new AdaptiveRate(40);
  rate.refused(0, 10, 0); // 20
  rate.acceptedAt(5, 20); // sent before the cut: no change
  assert.equal(rate.rpm, 20);
  // The first accepted request after the cut ends the run of 429s: raised to 9/10 of what got
  // through in the last minute if higher. Only one got through (at 5 ms), so nothing is known.
  rate.acceptedAt(3000, 3100);
  const afterRun = rate.rpm as number;
  assert.ok(afterRun >= 20 && afterRun <= 40, `rpm ${afterRun}`);
  const steps: number[] = [];
  for (let i = 0; i < 5; i++) {
    rate.acceptedAt(60_000 + i * 3000, 60_100 + i * 3000);
    steps.push(rate.rpm as number);
  }
  const deltas = steps.map((r, i) => r - (i === 0 ? afterRun : (steps[i - 1] as number)));
  for (const d of deltas) assert.ok(Math.abs(d - 0.5) < 1e-9, `step ${d}`); // max(0.5, 1% of 20)
  for (let i = 0; i < 100 && rate.learnedRpm !== undefined; i++) rate.acceptedAt(100_000 + i * 2000, 100_100 + i * 2000);
  assert.equal(rate.learnedRpm, undefined, 'learning stopped at the configured rate');
  assert.equal(rate.rpm, 40);
});

test('the end of a run of 429s raises the rate to 9/10 of what got through over the last minute', () => {
  // 600 rpm configured, an upstream that lets 10 through per 10 s: 10 accepted in 0..900 ms,
  // then 429s while its window is closed (each cutting the rate), then one accepted at 13.4 s.
  const rate = new AdaptiveRate(600);
  for (let i = 0; i < 10; i++) rate.acceptedAt(i * 100, i * 100 + 5);
  let at = 1000;
  for (let i = 0; i < 6; i++) {
    rate.refused(at, at + 5, 0);
    at += 60_000 / (rate.rpm as number);
  }
  assert.ok((rate.rpm as number) < 20, `probing cut it to ${rate.rpm}`);
  rate.acceptedAt(13_400, 13_405);
  assert.ok(Math.abs((rate.rpm as number) - (0.9 * 10 * 60_000) / 13_400) < 1e-9, `raised to ${rate.rpm}`);
});

test('a backend with no rpm starts being paced at its first 429, at half the rate it was seen sending', () => {
  const rate = new AdaptiveRate();
  assert.equal(rate.rpm, undefined);
  rate.refused(0, 10, 180);
  assert.equal(rate.rpm, 90);
  assert.equal(rate.learnedRpm, 90);
});

test('the cut never goes below the floor; configure() keeps a learned rate below the new rpm', () => {
  const rate = new AdaptiveRate(2);
  for (let i = 0; i < 5; i++) rate.refused(i * 100_000, i * 100_000 + 1, 0);
  assert.equal(rate.rpm, MIN_RPM);
  rate.configure(60);
  assert.equal(rate.rpm, MIN_RPM);
  rate.configure(0.5);
  assert.equal(rate.learnedRpm, undefined, 'a configured rate below the learned one wins');
  assert.equal(rate.rpm, 0.5);
});
