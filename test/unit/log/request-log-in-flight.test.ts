/**
 * Requests in flight in the request log: listed (in their start position) and readable marked
 * `inFlight` from the moment they start, updated as they progress, final once finished; the
 * log's observers hear started / updated / finished.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestLog, type EntryEvent } from '../../../app/log/request-log';

async function withLog(fn: (log: RequestLog) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-inflight-'));
  let now = 1_000;
  const log = await RequestLog.open({ dataDir: dir, flushDelayMs: 0, now: () => (now += 5) });
  try {
    await fn(log);
  } finally {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('a started request is listed and readable as in flight, then final in the same place', async () => {
  await withLog(async (log) => {
    const events: EntryEvent[] = [];
    log.onEntry((e) => events.push(e));
    const first = log.startEntry({ inboundFormat: 'anthropic', id: 'req_a', userAgent: 'claude-cli/2.0' });
    const second = log.startEntry({ inboundFormat: 'openai', id: 'req_b' });
    await nextTurn(); // listed from the next turn of the event loop
    first.update({ backend: 'nim', modelUsed: 'kimi' });

    const listed = log.list();
    assert.deepEqual(listed.items.map((i) => [i.id, i.inFlight]), [['req_b', true], ['req_a', true]]);
    assert.equal(listed.items[1]!.backend, 'nim', 'the live view follows updates');
    assert.equal(log.inFlight, 2);
    const live = await log.get('req_a');
    assert.equal(live?.inFlight, true);
    assert.equal(live?.status, 0);
    assert.ok((live?.latencyMs ?? 0) > 0, 'latency so far');
    assert.equal(log.list({ status: 'error' }).items.length, 0, 'no status yet: not an error');

    first.finish({ status: 200 });
    const after = log.list();
    assert.deepEqual(after.items.map((i) => [i.id, i.inFlight]), [['req_b', true], ['req_a', undefined]], 'finished in its start position');
    assert.equal(after.items[1]!.status, 200);
    assert.equal((await log.get('req_a'))?.inFlight, undefined);
    assert.equal(log.inFlight, 1);
    second.abort();
    await log.flush();
    assert.equal(log.inFlight, 0);
    assert.equal(log.list({ status: 'error' }).items[0]!.id, 'req_b');

    assert.deepEqual(
      events.map((e) => [e.type, e.summary.id, e.summary.inFlight ?? false]),
      [
        ['started', 'req_a', true],
        ['started', 'req_b', true],
        ['updated', 'req_a', true],
        ['updated', 'req_a', true],
        ['finished', 'req_a', false],
        ['updated', 'req_b', true],
        ['finished', 'req_b', false],
      ],
    );
  });
});

test('a request is listed from the next turn of the event loop, or at once when the log is read; one that ends first is listed once, finished', async () => {
  await withLog(async (log) => {
    const events: string[] = [];
    log.onEntry((e) => events.push(`${e.type}:${e.summary.id}:${e.summary.backend ?? '-'}`));
    const quick = log.startEntry({ inboundFormat: 'anthropic', id: 'req_quick' });
    const slow = log.startEntry({ inboundFormat: 'anthropic', id: 'req_slow' });
    slow.update({ backend: 'nim' });
    quick.finish({ status: 200 });
    assert.deepEqual(events, ['finished:req_quick:-'], 'nothing told before the listing but the finish');
    await nextTurn();
    assert.deepEqual(events, ['finished:req_quick:-', 'started:req_slow:nim'], 'listed with what was known by then');
    assert.equal(log.inFlight, 1);

    const read = log.startEntry({ inboundFormat: 'openai', id: 'req_read' });
    assert.equal((await log.get('req_read'))?.inFlight, true, 'a read lists what started before it');
    assert.deepEqual(log.list().items.map((i) => [i.id, i.inFlight ?? false]), [['req_read', true], ['req_slow', true], ['req_quick', false]]);
    read.finish({ status: 200 });
    slow.finish({ status: 200 });
    await log.flush();
    assert.equal(log.inFlight, 0);
    assert.equal(log.list().items.length, 3, 'one record each');
  });
});

test('an entry appended whole (no start) is listed as before, not in flight', async () => {
  await withLog(async (log) => {
    const handle = log.startEntry({ inboundFormat: 'anthropic', id: 'req_c' });
    handle.finish({ status: 429 });
    await log.flush();
    const [item] = log.list().items;
    assert.equal(item?.id, 'req_c');
    assert.equal(item?.inFlight, undefined);
    assert.equal(log.list().items.length, 1, 'one record, not two');
  });
});
