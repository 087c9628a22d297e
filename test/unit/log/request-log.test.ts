import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDACTED } from '../../../app/log/redact';
import type { RequestEntry } from '../../../app/log/request-entry';
import { RequestLog } from '../../../app/log/request-log';
import { SegmentWriter } from '../../../app/log/segment-writer';
import type { RequestLogOptions } from '../../../app/log/request-log';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-log-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function entry(id: string, extra: Partial<RequestEntry> = {}): RequestEntry {
  return {
    id,
    time: new Date(0).toISOString(),
    agent: 'claude-code',
    inboundFormat: 'anthropic',
    status: 200,
    latencyMs: 1,
    tokens: { input: 1, output: 2, cached: 0 },
    streamed: true,
    retries: 0,
    queueWaitMs: 0,
    bytesIn: 10,
    bytesOut: 20,
    ...extra,
  };
}

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'logs'))).filter((n) => n.endsWith('.ndjson')).sort();
}

async function allLines(dir: string): Promise<string[]> {
  const lines: string[] = [];
  for (const name of await segmentFiles(dir)) {
    const text = await readFile(join(dir, 'logs', name), 'utf8');
    lines.push(...text.split('\n').filter((l) => l.length > 0));
  }
  return lines;
}

function open(dir: string, options: Partial<RequestLogOptions> = {}): Promise<RequestLog> {
  return RequestLog.open({ dataDir: dir, onError: (e) => assert.fail(String(e)), ...options });
}

test('rotates by size and keeps only the configured number of files', async () => {
  await withDir(async (dir) => {
    const log = await open(dir, { maxFileBytes: 2000, maxFiles: 3 });
    for (let i = 0; i < 60; i++) {
      log.append(entry(`r${i}`, { error: 'x'.repeat(100) }));
      if (i % 7 === 0) await log.flush();
    }
    await log.close();
    const files = await segmentFiles(dir);
    assert.equal(files.length, 3, files.join());
    for (const name of files) assert.ok((await stat(join(dir, 'logs', name))).size <= 2000, name);
    const ids = (await allLines(dir)).map((l) => (JSON.parse(l) as RequestEntry).id);
    assert.equal(ids[ids.length - 1], 'r59', 'newest entry kept');
    assert.ok(!ids.includes('r0'), 'oldest entry rotated away');
    // The index forgets entries whose files were deleted.
    const reopened = await open(dir);
    const listed = reopened.list({ limit: 500 }).items.map((e) => e.id);
    assert.deepEqual(listed, [...ids].reverse());
    await reopened.close();
    const live = await open(dir, { maxFileBytes: 2000, maxFiles: 3 });
    for (let i = 60; i < 90; i++) live.append(entry(`r${i}`, { error: 'x'.repeat(100) }));
    await live.flush();
    assert.equal(live.list({ limit: 500 }).items.length, (await allLines(dir)).length);
    await live.close();
  });
});

test('a new instance on the same directory reads the entries back, bodies included', async () => {
  await withDir(async (dir) => {
    const first = await open(dir, { keepBodies: true });
    const h = first.startEntry({ inboundFormat: 'openai', userAgent: 'opencode/1.18', path: '/v1/chat/completions' });
    h.setBody('request', { model: 'kimi-k2.6', messages: [{ role: 'user', content: 'hi' }] });
    h.finish({ status: 200, backend: 'nim', modelUsed: 'moonshotai/kimi-k2.6' });
    first.append(entry('plain'));
    await first.close();

    const second = await open(dir);
    const items = second.list().items;
    assert.deepEqual(
      items.map((e) => e.id),
      ['plain', h.id],
    );
    assert.equal(items[1]?.agent, 'opencode');
    assert.equal(items[1]?.hasBodies, true);
    const full = await second.get(h.id);
    assert.equal(full?.backend, 'nim');
    assert.match(full?.bodies?.request?.text ?? '', /kimi-k2\.6/);
    assert.equal(await second.get('nope'), undefined);
    // Appends after a restart continue the same files.
    second.append(entry('after-restart'));
    await second.close();
    const lines = await allLines(dir);
    assert.equal(lines.length, 3);
  });
});

test('a torn last line after a crash is skipped, not fatal, and appends start on a fresh line', async () => {
  await withDir(async (dir) => {
    const log = await open(dir);
    log.append(entry('a'));
    log.append(entry('b'));
    await log.close();
    const [file] = await segmentFiles(dir);
    await appendFile(join(dir, 'logs', file!), '{"id":"torn","time":"2026-01-01T00:0');

    const reopened = await open(dir);
    assert.equal(reopened.getHealth().skippedLines, 1);
    assert.deepEqual(
      reopened.list().items.map((e) => e.id),
      ['b', 'a'],
    );
    reopened.append(entry('c'));
    await reopened.close();
    const third = await open(dir);
    assert.equal(third.getHealth().skippedLines, 0);
    assert.deepEqual(
      third.list().items.map((e) => e.id),
      ['c', 'b', 'a'],
    );
    await third.close();
  });
});

test('concurrent appends keep every entry, one whole line each', async () => {
  await withDir(async (dir) => {
    const log = await open(dir, { maxFileBytes: 64 * 1024 });
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 50; i++) {
        log.append(entry(`w${w}-${i}`, { error: `payload ${'é'.repeat(i * 13)}` }));
        if (i % 10 === 0) await new Promise((r) => setImmediate(r));
      }
    });
    await Promise.all(writers);
    await log.close();
    const lines = await allLines(dir);
    assert.equal(lines.length, 400);
    const ids = new Set(lines.map((l) => (JSON.parse(l) as RequestEntry).id)); // throws on an interleaved line
    assert.equal(ids.size, 400);
    for (let w = 0; w < 8; w++) {
      const order = lines.map((l) => (JSON.parse(l) as RequestEntry).id).filter((id) => id.startsWith(`w${w}-`));
      assert.deepEqual(
        order,
        Array.from({ length: 50 }, (_, i) => `w${w}-${i}`),
        "each writer's entries stay in order",
      );
    }
  });
});

test('an entry finished from an abort path is written once, marked aborted, with what was known', async () => {
  await withDir(async (dir) => {
    let clock = 1_000_000;
    const log = await open(dir, { now: () => clock, keepBodies: true });
    const h = log.startEntry({ inboundFormat: 'anthropic', userAgent: 'claude-cli/2.1.197', modelRequested: 'claude-sonnet-4', streamed: true });
    h.update({ backend: 'moonshot', modelUsed: 'kimi-k2.6', status: 200 });
    clock += 40;
    h.firstToken();
    h.appendResponse('event: content_block_delta\ndata: {"delta":{"text":"hel"}}\n\n');
    h.addBytesOut(60);
    clock += 100;
    // The client hangs up: the close handler finishes the entry.
    const finished = h.abort();
    assert.ok(finished);
    // The stream path's own finish arrives later and changes nothing.
    assert.equal(h.finish({ status: 500, tokens: { output: 99 } }), undefined);
    h.update({ backend: 'other' });
    await log.close();

    const lines = await allLines(dir);
    assert.equal(lines.length, 1);
    const e = JSON.parse(lines[0]!) as RequestEntry;
    assert.equal(e.aborted, true);
    assert.match(e.error ?? '', /client disconnected/);
    assert.equal(e.status, 200);
    assert.equal(e.backend, 'moonshot');
    assert.equal(e.agent, 'claude-code');
    assert.equal(e.ttftMs, 40);
    assert.equal(e.latencyMs, 140);
    assert.equal(e.bytesOut, 60);
    assert.equal(e.tokens.output, 0);
    assert.match(e.bodies?.response?.text ?? '', /"hel"/);
  });
});

test('keys in bodies and errors are redacted, known secrets included, before they reach the disk', async () => {
  await withDir(async (dir) => {
    const upstreamKey = 'nvapi-Q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXc';
    const clientToken = 'patchbay-client-token-0123';
    const log = await open(dir, { keepBodies: true, knownSecrets: [clientToken] });
    const h = log.startEntry({ inboundFormat: 'openai' });
    h.setBody('request', { messages: [{ role: 'user', content: `remember ${clientToken}` }] });
    h.setBody('upstreamRequest', { headers: { authorization: `Bearer ${upstreamKey}` } });
    h.finish({ status: 401, error: `Incorrect API key provided: ${upstreamKey}` });
    await log.close();
    const raw = (await allLines(dir)).join('\n');
    assert.ok(!raw.includes(upstreamKey), raw);
    assert.ok(!raw.includes(clientToken), raw);
    assert.ok(raw.includes(`remember ${REDACTED}`));
    assert.ok(raw.includes(`Incorrect API key provided: ${REDACTED}`));
  });
});

test('bodies are left out unless the log keeps them', async () => {
  await withDir(async (dir) => {
    const log = await open(dir);
    const h = log.startEntry({ inboundFormat: 'openai' });
    h.setBody('request', { a: 1 });
    h.appendResponse('data: x\n\n');
    h.finish({ status: 200 });
    const got = await log.get(h.id);
    assert.equal(got?.bodies, undefined);
    assert.equal(log.list().items[0]?.hasBodies, false);
    await log.close();
  });
});

test('list filters by backend, status, agent and text, and pages newest first with a cursor', async () => {
  await withDir(async (dir) => {
    const log = await open(dir);
    const specs: Array<Partial<RequestEntry>> = [
      { backend: 'nim', status: 200, agent: 'opencode', modelUsed: 'moonshotai/kimi-k2.6' },
      { backend: 'moonshot', status: 429, agent: 'claude-code', error: 'rate limited upstream' },
      { backend: 'nim', status: 500, agent: 'claude-code', error: 'boom' },
      { backend: 'moonshot', status: 200, agent: 'codex', aborted: true, error: 'client disconnected' },
      { backend: 'nim', status: 404, agent: 'aider', modelRequested: 'gpt-5' },
    ];
    for (let round = 0; round < 4; round++) {
      specs.forEach((s, i) => log.append(entry(`e${round * 5 + i}`, s)));
    }
    await log.flush();
    const ids = (q: Parameters<RequestLog['list']>[0]): string[] => log.list(q).items.map((e) => e.id);

    assert.deepEqual(ids({ limit: 3 }), ['e19', 'e18', 'e17']);
    assert.deepEqual(ids({ backend: 'moonshot', limit: 100 }), ['e18', 'e16', 'e13', 'e11', 'e8', 'e6', 'e3', 'e1']);
    assert.deepEqual(ids({ status: '429', limit: 100 }), ['e16', 'e11', 'e6', 'e1']);
    assert.deepEqual(ids({ status: '4xx', limit: 4 }), ['e19', 'e16', 'e14', 'e11']);
    assert.deepEqual(ids({ status: '5xx', limit: 100 }), ['e17', 'e12', 'e7', 'e2']);
    assert.equal(ids({ status: 'error', limit: 100 }).length, 16);
    assert.deepEqual(ids({ status: 'ok', limit: 100 }), ['e15', 'e10', 'e5', 'e0']);
    assert.deepEqual(ids({ agent: 'codex', limit: 100 }), ['e18', 'e13', 'e8', 'e3']);
    assert.deepEqual(ids({ text: 'KIMI-K2', limit: 100 }), ['e15', 'e10', 'e5', 'e0']);
    assert.deepEqual(ids({ text: 'boom', backend: 'nim', limit: 100 }), ['e17', 'e12', 'e7', 'e2']);
    assert.deepEqual(ids({ text: 'e13', limit: 100 }), ['e13']);

    // Paging walks every match exactly once, then stops.
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = log.list({ status: 'error', limit: 5, ...(cursor ? { cursor } : {}) });
      seen.push(...r.items.map((e) => e.id));
      if (!r.nextCursor) break;
      cursor = r.nextCursor;
    }
    assert.deepEqual(seen, ids({ status: 'error', limit: 100 }));
    // An exact final page has no next cursor.
    assert.equal(log.list({ status: '5xx', limit: 4 }).nextCursor, null);
    assert.notEqual(log.list({ status: '5xx', limit: 3 }).nextCursor, null);
    await log.close();
  });
});

test('append returns before touching the disk; a failing disk is reported, not thrown, and entries stay readable', async () => {
  await withDir(async (dir) => {
    const errors: unknown[] = [];
    const log = await RequestLog.open({ dataDir: dir, onError: (e) => errors.push(e) });
    log.append(entry('queued'));
    assert.deepEqual(await segmentFiles(dir), [], 'nothing written synchronously');
    await log.flush();
    assert.equal((await allLines(dir)).length, 1);

    // Break the disk: the log directory becomes a file the writer cannot open files in.
    await log.close();
    const broken = await RequestLog.open({ dataDir: dir, onError: (e) => errors.push(e) });
    await rm(join(dir, 'logs'), { recursive: true, force: true });
    await writeFile(join(dir, 'logs'), 'not a directory');
    assert.doesNotThrow(() => broken.append(entry('unwritable')));
    await broken.flush();
    assert.equal(errors.length, 1);
    assert.equal(broken.getHealth().writeErrors, 1);
    assert.equal((await broken.get('unwritable'))?.id, 'unwritable');
    assert.deepEqual(
      broken.list().items.map((e) => e.id),
      ['unwritable', 'queued'],
    );
    await broken.close();
  });
});

test('entries appended within the flush delay reach the disk in one write, readable from memory meanwhile', async () => {
  await withDir(async (dir) => {
    const log = await open(dir, { flushDelayMs: 80 });
    const writes: number[] = [];
    const original = SegmentWriter.prototype.write;
    SegmentWriter.prototype.write = function (this: SegmentWriter, lines: Buffer[]) {
      writes.push(lines.length);
      return original.call(this, lines);
    };
    try {
      // Five sequential requests, 10 ms apart: one write for all of them, not five.
      for (let i = 0; i < 5; i++) {
        log.append(entry(`seq${i}`));
        assert.equal((await log.get(`seq${i}`))?.id, `seq${i}`, 'readable before it is on disk');
        await new Promise((r) => setTimeout(r, 10));
      }
      await log.flush();
      assert.ok(writes.length <= 2, `5 entries 10 ms apart took ${writes.length} writes (${writes.join(', ')} lines)`);
      assert.equal(writes.reduce((a, b) => a + b, 0), 5);
      const text = (await Promise.all((await segmentFiles(dir)).map((f) => readFile(join(dir, 'logs', f), 'utf8')))).join('');
      assert.deepEqual(text.trim().split('\n').map((l) => (JSON.parse(l) as RequestEntry).id), ['seq0', 'seq1', 'seq2', 'seq3', 'seq4']);
    } finally {
      SegmentWriter.prototype.write = original;
      await log.close();
    }
  });
});
