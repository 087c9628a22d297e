import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AdminEvent, EventListener, State } from '../../../../app/api/contract';
import { applyEvent, followState } from '../../../../main/app/follow-state';

const stats = (time: string) => ({ time, backends: [] });
const state = (active: string, time = 't0'): State =>
  ({
    active,
    paused: false,
    backends: [],
    failover: [],
    stats: stats(time),
    requestLog: { skippedLines: 0, interrupted: 0, writeErrors: 0, dropped: 0, failing: null, inFlight: 0, keepBodies: false },
  }) as State;

test('stateChanged replaces, stats folds into the last state, request events change nothing', () => {
  const s = state('nim');
  assert.equal(applyEvent(s, { type: 'stateChanged', data: state('moonshot') })?.active, 'moonshot');
  const withStats = applyEvent(s, { type: 'stats', data: stats('t1') });
  assert.equal(withStats?.active, 'nim');
  assert.equal(withStats?.stats.time, 't1');
  assert.equal(s.stats.time, 't0', 'the old state is not mutated');
  assert.equal(applyEvent(s, { type: 'requestStarted', data: {} } as unknown as AdminEvent), undefined);
});

test('followState: the current state first, events that arrive during getState are not lost', async () => {
  let listener: EventListener | undefined;
  let unsubscribed = false;
  const api = {
    subscribe(l: EventListener) {
      listener = l;
      return () => void (unsubscribed = true);
    },
    async getState() {
      // An event lands while the state is being fetched.
      listener?.({ type: 'stats', data: stats('during') });
      return state('nim');
    },
  };
  const seen: State[] = [];
  const stop = await followState(api as never, (s) => seen.push(s));
  assert.deepEqual(
    seen.map((s) => [s.active, s.stats.time]),
    [['nim', 'during']],
  );
  listener?.({ type: 'stateChanged', data: state('moonshot', 't2') });
  listener?.({ type: 'stats', data: stats('t3') });
  assert.deepEqual(
    seen.map((s) => [s.active, s.stats.time]),
    [
      ['nim', 'during'],
      ['moonshot', 't2'],
      ['moonshot', 't3'],
    ],
  );
  stop();
  assert.equal(unsubscribed, true);
});
