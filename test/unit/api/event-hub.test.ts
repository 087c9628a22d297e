/**
 * The admin API's event hub: the current stats at once on subscribe, request updates coalesced
 * per request (a finish drops a pending update), state changes coalesced to one read, and the
 * sources followed only while someone listens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AdminEvent, State } from '../../../app/api/contract';
import { EventHub } from '../../../app/api/event-hub';
import { RequestLog } from '../../../app/log/request-log';
import { LiveStats } from '../../../app/stats/live-stats';

async function rig(fn: (parts: { hub: EventHub; log: RequestLog; stats: LiveStats; reads: () => number; changed: () => void; watchers: () => number }) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-hub-'));
  const log = await RequestLog.open({ dataDir: dir, flushDelayMs: 0 });
  const stats = new LiveStats({ backends: [{ id: 'nim', rpm: 40 }] });
  let reads = 0;
  let watchers = 0;
  let notify: () => void = () => undefined;
  const hub = new EventHub({
    stats,
    log,
    updateIntervalMs: 30,
    readState: async () => {
      reads += 1;
      return { active: 'nim' } as State;
    },
    watchState: (changed) => {
      watchers += 1;
      notify = changed;
      return () => {
        watchers -= 1;
      };
    },
  });
  try {
    await fn({ hub, log, stats, reads: () => reads, changed: () => notify(), watchers: () => watchers });
  } finally {
    stats.close();
    await log.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('a subscriber gets the current stats at once; request updates are coalesced per request', async () => {
  await rig(async ({ hub, log }) => {
    const events: AdminEvent[] = [];
    const stop = hub.subscribe((e) => events.push(e));
    assert.equal(events[0]?.type, 'stats');
    const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve)); // the log lists a started request then
    const a = log.startEntry({ inboundFormat: 'openai', id: 'req_a' });
    await nextTurn();
    for (let i = 1; i <= 20; i++) a.update({ tokens: { output: i } });
    const b = log.startEntry({ inboundFormat: 'openai', id: 'req_b' });
    await nextTurn();
    b.update({ backend: 'nim' });
    b.finish({ status: 200 });
    await sleep(80);
    const requestEvents = events.filter((e) => e.type !== 'stats').map((e) => [e.type, (e.data as { id: string }).id]);
    assert.deepEqual(requestEvents, [
      ['requestStarted', 'req_a'],
      ['requestStarted', 'req_b'],
      ['requestFinished', 'req_b'],
      ['requestUpdated', 'req_a'],
    ]);
    const update = events.find((e) => e.type === 'requestUpdated');
    assert.equal(update?.type === 'requestUpdated' && update.data.tokens.output, 20, 'the newest update wins');
    stop();
  });
});

test('state changes are read once per burst; sources are followed only while someone listens', async () => {
  await rig(async ({ hub, stats, reads, changed, watchers }) => {
    assert.deepEqual([stats.listenerCount, watchers()], [0, 0]);
    const events: AdminEvent[] = [];
    const stopA = hub.subscribe((e) => events.push(e));
    const stopB = hub.subscribe(() => undefined);
    assert.deepEqual([stats.listenerCount, watchers()], [1, 1]);
    changed();
    changed();
    hub.stateChanged();
    await sleep(20);
    assert.equal(reads(), 1);
    assert.equal(events.filter((e) => e.type === 'stateChanged').length, 1);
    stopA();
    stopA();
    assert.equal(stats.listenerCount, 1);
    stopB();
    assert.deepEqual([stats.listenerCount, watchers()], [0, 0]);
  });
});
