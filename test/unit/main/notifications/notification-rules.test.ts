import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_REPEAT_AFTER_MS, NotificationRules, type DesktopNotice } from '../../../../main/notifications/notification-rules';
import { state, view, withStats } from '../tray/state-fixtures';

const T0 = Date.parse('2026-05-01T12:00:00Z');
const MIN = 60_000;
const ids = (notices: DesktopNotice[]) => notices.map((n) => n.id);
const rejected = (status: number, at = '2026-05-01T12:00:00.000Z') => ({ keyRejected: { status, at } });

test('a quiet state says nothing, however often it is seen', () => {
  const rules = new NotificationRules();
  for (let i = 0; i < 5; i++) assert.deepEqual(rules.observe(state(), T0 + i * MIN), []);
});

test('key rejected: told once per backend until it recovers, then again on the next refusal', () => {
  const rules = new NotificationRules();
  const s = state();
  assert.deepEqual(rules.observe(s, T0), []);
  const bad = withStats(s, 'nim', rejected(401));
  const [notice, ...rest] = rules.observe(bad, T0 + 1000);
  assert.deepEqual(rest, []);
  assert.deepEqual(notice, {
    id: 'key-rejected:nim',
    kind: 'key-rejected',
    backend: 'nim',
    title: 'NIM: key rejected',
    body: 'The upstream answered 401 to the key Patchbay sends. Open Patchbay to set a new key.',
  });
  // Still refused (even refused again later, or with another status): no repeat.
  assert.deepEqual(rules.observe(bad, T0 + 2000), []);
  assert.deepEqual(rules.observe(withStats(s, 'nim', rejected(403, '2026-05-01T12:05:00.000Z')), T0 + 60 * MIN), []);
  // A refused key on another backend is its own matter.
  assert.deepEqual(ids(rules.observe(withStats(bad, 'moonshot', rejected(401)), T0 + 61 * MIN)), ['key-rejected:moonshot']);
  // Recovered (a success cleared it), then refused again: told again.
  assert.deepEqual(rules.observe(s, T0 + 62 * MIN), []);
  assert.deepEqual(ids(rules.observe(withStats(s, 'nim', rejected(401, '2026-05-01T13:03:00.000Z')), T0 + 63 * MIN)), ['key-rejected:nim']);
});

test('key rejected: a new key (other last four) refused too is told at once', () => {
  const rules = new NotificationRules();
  const oldKey = withStats(state(), 'nim', rejected(401, '2026-05-01T12:00:00.000Z'));
  assert.equal(rules.observe(oldKey, T0).length, 1);
  const newKey = { ...oldKey, backends: oldKey.backends.map((b) => (b.id === 'nim' ? { ...b, key: { set: true, last4: 'zz99', source: 'keychain' } } : b)) };
  assert.deepEqual(rules.observe(newKey, T0 + 1000), [], 'the new key, not tried yet: the old refusal is no news');
  assert.deepEqual(ids(rules.observe(withStats(newKey, 'nim', rejected(401, '2026-05-01T12:01:00.000Z')), T0 + 2000)), ['key-rejected:nim']);
});

test('429s sustained: five within the last minute, at most once per backend per ten minutes', () => {
  const rules = new NotificationRules();
  const s = state();
  assert.deepEqual(rules.observe(withStats(s, 'nim', { rateLimitedLastMinute: 4, rateLimited: 4 }), T0), [], 'four is what pacing shrugs off');
  const five = rules.observe(withStats(s, 'nim', { rateLimitedLastMinute: 5, rateLimited: 5, learnedRpm: 20 }), T0 + 1000);
  assert.deepEqual(
    five.map((n) => [n.id, n.title, n.body]),
    [['rate-limited:nim', 'NIM is rate limiting', '5 requests were refused with 429 in the last minute. Patchbay now paces it at 20 req/min and retries; agents wait longer until it eases.']],
  );
  // Still going: quiet for ten minutes, then told again.
  for (let t = 2; t < 10; t++) assert.deepEqual(rules.observe(withStats(s, 'nim', { rateLimitedLastMinute: 9 }), T0 + 1000 + t * MIN), [], `minute ${t}`);
  assert.deepEqual(ids(rules.observe(withStats(s, 'nim', { rateLimitedLastMinute: 9 }), T0 + 1000 + DEFAULT_REPEAT_AFTER_MS)), ['rate-limited:nim']);
  // Another backend has its own quiet time.
  assert.deepEqual(ids(rules.observe(withStats(s, 'moonshot', { rateLimitedLastMinute: 6 }), T0 + 1000 + DEFAULT_REPEAT_AFTER_MS + 1)), ['rate-limited:moonshot']);
});

test('429s sustained: burst and quiet time are options', () => {
  const rules = new NotificationRules({ rateLimitBurst: 2, repeatAfterMs: MIN });
  const s = withStats(state(), 'nim', { rateLimitedLastMinute: 2 });
  assert.equal(rules.observe(s, T0).length, 1);
  assert.equal(rules.observe(s, T0 + MIN - 1).length, 0);
  assert.equal(rules.observe(s, T0 + MIN).length, 1);
});

test('failover started and ended on the active backend', () => {
  const rules = new NotificationRules();
  const s = state();
  rules.observe(s, T0);
  const failing = withStats(s, 'nim', { failovers: 1, failedOverTo: 'moonshot', consecutiveFailures: 2 });
  const started = rules.observe(failing, T0 + 1000);
  assert.deepEqual(
    started.map((n) => [n.id, n.title, n.body]),
    [['failover-started:nim', 'NIM: failing over to Moonshot', 'Requests NIM could not serve (down or rate limited) are going to Moonshot. You will be told when NIM serves again.']],
  );
  assert.deepEqual(rules.observe(withStats(s, 'nim', { failovers: 7, failedOverTo: 'moonshot' }), T0 + 2000), [], 'more requests failing over: the same failover');
  const ended = rules.observe(withStats(s, 'nim', { failovers: 7, failedOverTo: null }), T0 + 3000);
  assert.deepEqual(ended.map((n) => [n.id, n.title, n.body]), [['failover-ended:nim', 'NIM is back', 'Requests are served by NIM again.']]);
  assert.deepEqual(rules.observe(withStats(s, 'nim', { failovers: 7 }), T0 + 4000), []);
});

test('failover: switching away ends it quietly; switching back to the stale state says nothing until a new failover', () => {
  const rules = new NotificationRules();
  const s = state();
  rules.observe(s, T0);
  const failing = withStats(s, 'nim', { failovers: 1, failedOverTo: 'moonshot' });
  assert.equal(rules.observe(failing, T0 + 1000).length, 1);
  // The user switches to Moonshot: NIM's stats still say "failed over" (nothing succeeded there since).
  assert.deepEqual(rules.observe({ ...failing, active: 'moonshot' }, T0 + 2000), []);
  assert.deepEqual(rules.observe(failing, T0 + 3000), [], 'back on NIM, nothing new has failed over');
  const again = withStats(s, 'nim', { failovers: 2, failedOverTo: 'moonshot' });
  assert.deepEqual(ids(rules.observe(again, T0 + DEFAULT_REPEAT_AFTER_MS + 4000)), ['failover-started:nim']);
});

test('failover flapping: at most one started/ended pair per ten minutes', () => {
  const rules = new NotificationRules();
  const s = state();
  rules.observe(s, T0);
  let failovers = 0;
  const told: string[] = [];
  for (let i = 0; i < 10; i++) {
    failovers += 1;
    told.push(...ids(rules.observe(withStats(s, 'nim', { failovers, failedOverTo: 'moonshot' }), T0 + i * MIN)));
    told.push(...ids(rules.observe(withStats(s, 'nim', { failovers, failedOverTo: null }), T0 + i * MIN + 30_000)));
  }
  assert.deepEqual(told, ['failover-started:nim', 'failover-ended:nim']);
  failovers += 1;
  assert.deepEqual(ids(rules.observe(withStats(s, 'nim', { failovers, failedOverTo: 'moonshot' }), T0 + DEFAULT_REPEAT_AFTER_MS)), ['failover-started:nim']);
});

test('a failover under way when first seen is told; counters already there are history', () => {
  const rules = new NotificationRules();
  const s = withStats(state(), 'nim', { failovers: 3, failedOverTo: 'moonshot', overflows: 4, lastOverflowTo: 'moonshot', rateLimited: 40 });
  assert.deepEqual(ids(rules.observe(s, T0)), ['failover-started:nim']);
});

test('context overflow rerouted: told with the window and the target, at most once per ten minutes', () => {
  const rules = new NotificationRules();
  let s = state({ backends: [view('nim', { name: 'NIM', contextWindow: 131072, overflowTo: 'moonshot' }), view('moonshot', { name: 'Moonshot' })] });
  rules.observe(s, T0);
  s = withStats(s, 'nim', { overflows: 1, lastOverflowTo: 'moonshot' });
  assert.deepEqual(
    rules.observe(s, T0 + 1000).map((n) => [n.id, n.title, n.body]),
    [['overflow:nim', 'Prompt too long for NIM', "A prompt over NIM's context window (131,072 tokens) went to Moonshot."]],
  );
  assert.deepEqual(rules.observe(withStats(s, 'nim', { overflows: 2 }), T0 + 2 * MIN), [], 'quiet time');
  assert.deepEqual(rules.observe(withStats(s, 'nim', { overflows: 2 }), T0 + 20 * MIN), [], 'nothing new since: no late notice');
  const later = rules.observe(withStats(s, 'nim', { overflows: 5 }), T0 + 21 * MIN);
  assert.deepEqual(later.map((n) => n.body), ["3 prompts over NIM's context window (131,072 tokens) went to Moonshot."]);
});

test('several matters at once come in backend order; a removed backend is forgotten', () => {
  const rules = new NotificationRules();
  let s = state();
  rules.observe(s, T0);
  s = withStats(withStats(s, 'nim', { ...rejected(401), rateLimitedLastMinute: 5 }), 'moonshot', { overflows: 1, ...rejected(401) });
  assert.deepEqual(ids(rules.observe(s, T0 + 1000)), ['key-rejected:nim', 'rate-limited:nim', 'key-rejected:moonshot', 'overflow:moonshot']);
  assert.deepEqual(rules.observe(s, T0 + 2000), []);
  // Moonshot removed, then added again as it was: a new backend, its refused key told at once.
  const without = { ...s, backends: s.backends.filter((b) => b.id !== 'moonshot'), stats: { ...s.stats, backends: s.stats.backends.filter((b) => b.backend !== 'moonshot') } };
  assert.deepEqual(rules.observe(without, T0 + 3000), []);
  assert.deepEqual(ids(rules.observe(s, T0 + 4000)), ['key-rejected:moonshot']);
});
