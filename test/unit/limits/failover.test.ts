import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failoverOrder, shouldFailOver } from '../../../app/limits/failover';

test('the active backend comes first, then the failover list in order, without repeats', () => {
  assert.deepEqual(failoverOrder('nim', ['moonshot', 'nim', 'local', 'moonshot']), ['nim', 'moonshot', 'local']);
  assert.deepEqual(failoverOrder('nim'), ['nim']);
});

test('only rate limiting and outages fail over', () => {
  assert.equal(shouldFailOver('rate_limited'), true);
  assert.equal(shouldFailOver('down'), true);
  assert.equal(shouldFailOver('fatal'), false);
});
