import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep } from '../../../app/limits/abort';
import { ManualClock } from '../../../app/limits/manual-clock';

test('timers fire in time order (ties in creation order) and only when time reaches them', async () => {
  const clock = new ManualClock(1000);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('b@20'), 20);
  clock.setTimeout(() => fired.push('a@10'), 10);
  clock.setTimeout(() => fired.push('c@20'), 20);
  const cleared = clock.setTimeout(() => fired.push('cleared'), 5);
  clock.clearTimeout(cleared);
  await clock.advance(19);
  assert.deepEqual(fired, ['a@10']);
  assert.equal(clock.now(), 1019);
  await clock.advance(1);
  assert.deepEqual(fired, ['a@10', 'b@20', 'c@20']);
  assert.equal(clock.pendingTimers, 0);
});

test('promise continuations run between timers, so chained sleeps complete in one advance', async () => {
  const clock = new ManualClock(0);
  const marks: number[] = [];
  const chain = (async () => {
    for (let i = 0; i < 3; i++) {
      await sleep(clock, 100);
      marks.push(clock.now());
    }
  })();
  await clock.advance(300);
  await chain;
  assert.deepEqual(marks, [100, 200, 300]);
});

test('sleep rejects with the abort reason and cancels its timer', async () => {
  const clock = new ManualClock(0);
  const controller = new AbortController();
  const slept = sleep(clock, 1000, controller.signal);
  controller.abort(new Error('stop'));
  await assert.rejects(slept, /stop/);
  assert.equal(clock.pendingTimers, 0);
});
