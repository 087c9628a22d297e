import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TITLE_LENGTH, MAX_TOOLTIP_LENGTH, trayStatus } from '../../../../main/tray/tray-status';
import type { TrayInput } from '../../../../main/tray/tray-input';
import { state, view, withStats } from './state-fixtures';

const input = (over: Partial<TrayInput> = {}): TrayInput => ({ state: state(), paused: false, launchAtLogin: false, proxyUrl: 'http://127.0.0.1:7420', ...over });

test('ok: the active backend and its rate in the tooltip, no reasons', () => {
  const s = withStats(state(), 'nim', { requestsLastMinute: 12 });
  assert.deepEqual(trayStatus(input({ state: s })), { icon: 'ok', tooltip: 'Patchbay — NIM active, 12/40 req/min', reasons: [], title: 'NIM' });
});

test('attention: no key on the active backend (a backend that needs none is fine)', () => {
  const noKey = state({ backends: [view('nim', { name: 'NIM', rpm: 40, key: { set: false, source: 'keychain' } }), view('moonshot')] });
  const status = trayStatus(input({ state: noKey }));
  assert.equal(status.icon, 'attention');
  assert.equal(status.tooltip, 'Patchbay — NIM: no key. Open Patchbay to add one.');
  assert.deepEqual(status.reasons, ['NIM: no key. Open Patchbay to add one.']);

  const local = state({ backends: [view('llama', { apiKey: 'none', key: { set: false, source: 'none' } })], active: 'llama', failover: [] });
  assert.equal(trayStatus(input({ state: local })).icon, 'ok');
});

test('attention: the key refused by the upstream', () => {
  const s = withStats(state(), 'nim', { keyRejected: { status: 401, at: '2026-05-01T12:00:00.000Z' } });
  const status = trayStatus(input({ state: s }));
  assert.equal(status.icon, 'attention');
  assert.equal(status.tooltip, 'Patchbay — NIM: key rejected (401). Open Patchbay to fix it.');
});

test('attention: upstream failing (failures in a row, or failing over), and rate limited now; the tooltip counts the rest', () => {
  const one = withStats(state(), 'nim', { consecutiveFailures: 1, rateLimitedLastMinute: 2 });
  assert.equal(trayStatus(input({ state: one })).icon, 'ok', 'one failure, two 429s: what retries and pacing absorb');

  const failing = withStats(state(), 'nim', { consecutiveFailures: 3, failedOverTo: 'moonshot', rateLimitedLastMinute: 4 });
  const status = trayStatus(input({ state: failing }));
  assert.equal(status.icon, 'attention');
  assert.deepEqual(status.reasons, [
    'NIM: upstream failing (3 failures in a row); requests go to Moonshot.',
    'NIM: rate limited (4 × 429 in the last minute).',
  ]);
  assert.equal(status.tooltip, 'Patchbay — NIM: upstream failing (3 failures in a row); requests go to Moonshot. (+1 more)');

  // Failed over after 429s or a queue timeout (no failures in a row): said as it is.
  const queued = withStats(state(), 'nim', { failedOverTo: 'moonshot' });
  assert.deepEqual(trayStatus(input({ state: queued })).reasons, ['NIM: requests are failing over to Moonshot.']);
});

test('problems of a backend that is not active do not change the icon', () => {
  const s = withStats(state(), 'moonshot', { keyRejected: { status: 401, at: '2026-05-01T12:00:00.000Z' }, consecutiveFailures: 5 });
  assert.equal(trayStatus(input({ state: s })).icon, 'ok');
});

test('paused wins over attention and keeps the reasons; offline wins over everything', () => {
  const s = withStats(state(), 'nim', { keyRejected: { status: 403, at: '2026-05-01T12:00:00.000Z' } });
  const paused = trayStatus(input({ state: s, paused: true }));
  assert.equal(paused.icon, 'paused');
  assert.equal(paused.tooltip, 'Patchbay — Paused: agents are told to retry later. NIM is active.');
  assert.deepEqual(paused.reasons, ['Paused: agents are told to retry later. NIM is active.', 'NIM: key rejected (403). Open Patchbay to fix it.']);

  const offline = trayStatus(input({ state: s, paused: true, offline: 'port 7420 is in use' }));
  assert.deepEqual(offline, { icon: 'offline', tooltip: 'Patchbay — Not running: port 7420 is in use', reasons: ['Not running: port 7420 is in use'], title: '' });
  assert.equal(paused.title, 'NIM');
});

test('the tooltip fits Windows (127 characters) and the title the menu bar, cut with an ellipsis', () => {
  const long = 'N'.repeat(200);
  const s = state({ backends: [view('nim', { name: long })], failover: [] });
  const { tooltip, title } = trayStatus(input({ state: s }));
  assert.equal(tooltip.length, MAX_TOOLTIP_LENGTH);
  assert.ok(tooltip.startsWith('Patchbay — NNN') && tooltip.endsWith('N…'), tooltip);
  assert.equal(title, `${'N'.repeat(MAX_TITLE_LENGTH - 1)}…`, 'the menu-bar title is cut shorter');
});
