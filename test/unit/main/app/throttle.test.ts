import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { throttle } from '../../../../main/app/throttle';

test('first call at once, a burst collapses into one trailing call with the latest arguments', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  try {
    const seen: number[] = [];
    const t = throttle((n: number) => seen.push(n), 250);
    t(1);
    assert.deepEqual(seen, [1]);
    t(2);
    t(3);
    t(4);
    mock.timers.tick(249);
    assert.deepEqual(seen, [1]);
    mock.timers.tick(1);
    assert.deepEqual(seen, [1, 4]);
    mock.timers.tick(1000);
    assert.deepEqual(seen, [1, 4]);
    t(5); // the interval since the last run has passed: at once
    assert.deepEqual(seen, [1, 4, 5]);
  } finally {
    mock.timers.reset();
  }
});

test('cancel drops the pending call', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  try {
    const seen: number[] = [];
    const t = throttle((n: number) => seen.push(n), 100);
    t(1);
    t(2);
    t.cancel();
    mock.timers.tick(500);
    assert.deepEqual(seen, [1]);
  } finally {
    mock.timers.reset();
  }
});
