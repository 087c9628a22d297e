// The crash-safe request log: a start line when a request starts, the entry when it ends; after
// a restart a start without an end is an `interrupted` entry with what was known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestLog, type RequestLogOptions } from '../../../app/log/request-log';
import { INTERRUPTED_MESSAGE } from '../../../app/log/start-line';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-crash-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function open(dir: string, options: Partial<RequestLogOptions> = {}): Promise<RequestLog> {
  return RequestLog.open({ dataDir: dir, onError: (e) => assert.fail(String(e)), ...options });
}

async function lines(dir: string): Promise<Array<Record<string, unknown>>> {
  const names = (await readdir(join(dir, 'logs'))).filter((n) => n.endsWith('.ndjson'));
  names.sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
  const out: Array<Record<string, unknown>> = [];
  for (const name of names) {
    for (const l of (await readFile(join(dir, 'logs', name), 'utf8')).split('\n')) if (l) out.push(JSON.parse(l) as Record<string, unknown>);
  }
  return out;
}

/** A request as the proxy records it: started, routed to a backend, maybe finished. */
function startRequest(log: RequestLog, id: string, backend = 'nim') {
  const handle = log.startEntry({ id, inboundFormat: 'anthropic', userAgent: 'claude-cli/2.0.1 (external, cli)', path: '/v1/messages', bytesIn: 42 });
  handle.update({ modelRequested: 'claude-sonnet-4-5', streamed: true });
  handle.update({ backend, modelUsed: 'moonshotai/kimi-k2.6' });
  return handle;
}

test('a request that started and never ended is listed after a restart as interrupted, with what was known', async () => {
  await withDir(async (dir) => {
    const log = await open(dir);
    const done = startRequest(log, 'req_done');
    await log.flush();
    done.finish({ status: 200, tokens: { input: 5, output: 7 } });
    startRequest(log, 'req_killed');
    await log.flush();
    // The process dies here: no finish, no close.
    const onDisk = await lines(dir);
    assert.deepEqual(
      onDisk.map((l) => `${String(l.kind ?? 'end')}:${String(l.id)}`),
      ['start:req_done', 'end:req_done', 'start:req_killed'],
    );

    const after = await open(dir);
    const items = after.list().items;
    assert.deepEqual(
      items.map((e) => e.id),
      ['req_killed', 'req_done'],
    );
    const killed = items[0]!;
    assert.equal(killed.interrupted, true);
    assert.equal(killed.inFlight, undefined, 'not in flight: nothing is running it any more');
    assert.equal(killed.status, 0);
    assert.equal(killed.error, INTERRUPTED_MESSAGE);
    assert.equal(killed.latencyMs, 0, 'duration unknown');
    assert.equal(killed.agent, 'claude-code');
    assert.equal(killed.backend, 'nim');
    assert.equal(killed.modelRequested, 'claude-sonnet-4-5');
    assert.equal(killed.modelUsed, 'moonshotai/kimi-k2.6');
    assert.equal(killed.path, '/v1/messages');
    assert.equal(killed.inboundFormat, 'anthropic');
    assert.equal(killed.streamed, true);
    assert.equal(killed.bytesIn, 42);
    const finished = items[1]!;
    assert.equal(finished.interrupted, undefined);
    assert.equal(finished.status, 200);
    assert.deepEqual(finished.tokens, { input: 5, output: 7, cached: 0 });
    // Counted and filtered like any other entry.
    assert.equal(after.getHealth().interrupted, 1);
    assert.deepEqual(
      after.list({ status: 'interrupted' }).items.map((e) => e.id),
      ['req_killed'],
    );
    assert.deepEqual(
      after.list({ status: 'error' }).items.map((e) => e.id),
      ['req_killed'],
    );
    assert.deepEqual(
      after.list({ status: 'ok' }).items.map((e) => e.id),
      ['req_done'],
    );
    assert.equal((await after.get('req_killed'))?.interrupted, true);
    await after.close();

    // Still the same after another restart (and nothing new was written for it).
    const again = await open(dir);
    assert.deepEqual(
      again.list().items.map((e) => `${e.id}:${e.interrupted === true}`),
      ['req_killed:true', 'req_done:false'],
    );
    await again.close();
    await log.close();
  });
});

test('a request shorter than the flush delay costs one line: no start line is written for it', async () => {
  await withDir(async (dir) => {
    const log = await open(dir, { flushDelayMs: 30 });
    const handle = startRequest(log, 'req_quick');
    handle.finish({ status: 200 });
    await log.flush();
    assert.deepEqual(
      (await lines(dir)).map((l) => `${String(l.kind ?? 'end')}:${String(l.id)}`),
      ['end:req_quick'],
    );
    await log.close();
  });
});

test('a start written before the backend was known is written again once it is; the newest start wins', async () => {
  await withDir(async (dir) => {
    const log = await open(dir);
    const handle = log.startEntry({ id: 'req_queued', inboundFormat: 'openai', userAgent: 'opencode/0.5', path: '/v1/chat/completions' });
    await log.flush(); // waiting in a queue: no backend yet
    handle.update({ modelRequested: 'kimi', backend: 'moonshot', modelUsed: 'kimi-k2.6' });
    handle.update({ tokens: { output: 3 } }); // no change to the start: no third line
    await log.flush();
    const onDisk = await lines(dir);
    assert.equal(onDisk.length, 2);
    assert.equal(onDisk[0]!.backend, undefined);
    assert.equal(onDisk[1]!.backend, 'moonshot');

    const after = await open(dir);
    const items = after.list().items;
    assert.equal(items.length, 1, 'one request, not one per start line');
    assert.equal(items[0]!.backend, 'moonshot');
    assert.equal(items[0]!.modelUsed, 'kimi-k2.6');
    assert.equal(items[0]!.agent, 'opencode');
    await after.close();
    await log.close();
  });
});

test('torn and corrupt lines among starts and ends are skipped and counted, never fatal', async () => {
  await withDir(async (dir) => {
    const log = await open(dir);
    const a = startRequest(log, 'req_a');
    await log.flush();
    await appendFile(join(dir, 'logs', 'requests-1.ndjson'), '{"kind":"start","id":"req_broken"\n{"kind":"start","id":"req_nofmt","time":"x"}\nnot json\n');
    a.finish({ status: 200 });
    startRequest(log, 'req_b');
    await log.flush();
    // A crash in the middle of a write leaves a torn last line.
    await appendFile(join(dir, 'logs', 'requests-1.ndjson'), '{"kind":"start","id":"req_torn","time":"2026-');

    const after = await open(dir);
    assert.deepEqual(
      after.list().items.map((e) => `${e.id}:${e.interrupted === true}`),
      ['req_b:true', 'req_a:false'],
    );
    assert.equal(after.getHealth().skippedLines, 4, 'torn tail, start cut short, start without a format, not JSON');
    assert.equal(after.getHealth().interrupted, 1);
    // Appends after the repair start on a fresh line and load back.
    startRequest(after, 'req_c').finish({ status: 201 });
    await after.close();
    const third = await open(dir);
    assert.deepEqual(
      third.list().items.map((e) => e.id),
      ['req_c', 'req_b', 'req_a'],
    );
    await third.close();
    await log.close();
  });
});

test('a start in one file and its end in the next pair up; an end whose start was rotated away is just an entry', async () => {
  await withDir(async (dir) => {
    // Files of ~600 bytes: a start line is ~250, an end line ~400.
    const log = await open(dir, { maxFileBytes: 600, maxFiles: 3 });
    const early = startRequest(log, 'req_early');
    await log.flush();
    const spanning = startRequest(log, 'req_spanning');
    await log.flush();
    early.finish({ status: 200 });
    await log.flush();
    spanning.finish({ status: 200 });
    await log.flush();
    const byFile = new Map<string, string[]>();
    for (const name of await readdir(join(dir, 'logs'))) {
      byFile.set(name, (await readFile(join(dir, 'logs', name), 'utf8')).split('\n').filter(Boolean).map((l) => `${String((JSON.parse(l) as { kind?: string }).kind ?? 'end')}:${String((JSON.parse(l) as { id: string }).id)}`));
    }
    const fileOf = (line: string) => [...byFile].find(([, ls]) => ls.includes(line))?.[0];
    assert.notEqual(fileOf('start:req_spanning'), fileOf('end:req_spanning'), `start and end in different files: ${JSON.stringify([...byFile])}`);

    const after = await open(dir, { maxFileBytes: 600, maxFiles: 3 });
    assert.deepEqual(
      after.list().items.map((e) => `${e.id}:${e.status}:${e.interrupted === true}`),
      ['req_spanning:200:false', 'req_early:200:false'],
    );
    await after.close();

    // Push the start lines out of the kept files: the ends stay entries, nothing turns interrupted.
    const later = await open(dir, { maxFileBytes: 600, maxFiles: 2 });
    const filler = startRequest(later, 'req_filler');
    await later.flush();
    filler.finish({ status: 200 });
    await later.close();
    const remaining = (await lines(dir)).map((l) => `${String(l.kind ?? 'end')}:${String(l.id)}`);
    assert.ok(!remaining.includes('start:req_spanning'), `the start was rotated away: ${remaining.join(' ')}`);
    const reopened = await open(dir, { maxFileBytes: 600, maxFiles: 2 });
    const listed = reopened.list().items;
    assert.ok(listed.every((e) => e.interrupted !== true), JSON.stringify(listed));
    assert.deepEqual(
      listed.map((e) => e.id),
      remaining.filter((l) => l.startsWith('end:')).map((l) => l.slice(4)).reverse(),
    );
    await reopened.close();
    await log.close();
  });
});

test('in-flight rows and the start line are the same record: listed live, then interrupted after a restart', async () => {
  await withDir(async (dir) => {
    const log = await open(dir);
    const events: string[] = [];
    log.onEntry((e) => events.push(`${e.type}:${e.summary.id}`));
    const first = startRequest(log, 'req_1');
    startRequest(log, 'req_2');
    await new Promise<void>((resolve) => setImmediate(resolve)); // both listed (startEntry lists on the next turn)
    first.finish({ status: 200 });
    assert.deepEqual(
      log.list().items.map((e) => `${e.id}:${e.inFlight === true}`),
      ['req_2:true', 'req_1:false'],
    );
    assert.equal(log.inFlight, 1);
    assert.ok(events.includes('started:req_2') && events.includes('finished:req_1'), events.join());
    await log.flush();
    const after = await open(dir);
    // Lines are in end order (req_1 ended after req_2 started); an interrupted one sits at its start.
    assert.deepEqual(
      after.list().items.map((e) => `${e.id}:${e.interrupted === true}`),
      ['req_1:false', 'req_2:true'],
    );
    assert.equal(after.inFlight, 0);
    await after.close();
    await log.close();
  });
});
