import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveLine } from '../../../../main/tray/live-line';
import { live, state, view } from './state-fixtures';

test('requests in the last minute against the configured limit', () => {
  assert.equal(liveLine(state({ stats: [live('nim', { requestsLastMinute: 12, rpmLimit: 40 })] })), 'NIM · 12/40 req/min');
});

test('a learned (lower) rate is what counts, to one decimal, with the limit it slowed from', () => {
  assert.equal(liveLine(state({ stats: [live('nim', { requestsLastMinute: 7, rpmLimit: 40, learnedRpm: 17.5 })] })), 'NIM · 7/17.5 req/min (slowed from 40)');
  assert.equal(liveLine(state({ stats: [live('nim', { requestsLastMinute: 7, rpmLimit: null, learnedRpm: 20 })] })), 'NIM · 7/20 req/min (slowed after 429s)');
});

test('no limit at all; no stats yet reads the backend config', () => {
  const moonshot = state({ active: 'moonshot', stats: [live('moonshot', { requestsLastMinute: 3 })] });
  assert.equal(liveLine(moonshot), 'Moonshot · 3 req/min, no limit');
  assert.equal(liveLine(state({ stats: [] })), 'NIM · 0/40 req/min');
  assert.equal(liveLine(state({ backends: [view('plain')], active: 'plain', failover: [], stats: [] })), 'plain · 0 req/min, no limit');
});
