// Issue 11 proof: three streams in flight (one per client format) when the real `patchbay serve`
// process is SIGKILLed are found after a restart on the same data dir as `interrupted`, with
// agent, backend and model; the requests completed before are intact. Prints the figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestSummary } from '../../../app/api/contract';
import { startFakeNim } from '../../fakes/fake-nim';
import { startStallingUpstream } from '../../fakes/stalling-upstream';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';
import { startServe, type ServeProcess } from './serve-process';

const CLIENT = 'sigkill-test-client-token-0123456789';
const ADMIN = 'sigkill-test-admin-token-0123456789';
/**
 * Well past the log's flush delay (50 ms) plus a write, with room for a loaded CI machine whose
 * timers run late: a start older than this must be on disk.
 */
const SETTLE_MS = 1000;

test('streams in flight at SIGKILL are listed as interrupted after a restart; completed requests are intact', { timeout: 120_000 }, async (t) => {
  const nim = await startFakeNim({ key: 'nvapi-sigkill-test-key-000111' });
  // Streams that send their first events and then stay open: in flight until the kill.
  const stall = await startStallingUpstream('stall', 'openai');
  const dir = makeTempDir('sigkill');
  const running: ServeProcess[] = [];
  const readers: Array<ReadableStreamDefaultReader<Uint8Array>> = [];
  t.after(async () => {
    for (const r of readers) await r.cancel().catch(() => undefined);
    await Promise.all(running.map((p) => p.stop()));
    await stall.close();
    await nim.close();
    removeTempDirs(dir);
  });
  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      clientToken: CLIENT,
      adminToken: ADMIN,
      active: 'stall',
      backends: [
        { id: 'stall', format: 'openai', baseUrl: stall.baseUrl, apiKey: 'none', model: 'stall-model' },
        { id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:NIM_KEY', model: 'moonshotai/kimi-k2.6' },
      ],
    }),
  );
  const env: Record<string, string> = { HOME: dir, NIM_KEY: nim.key, PATCHBAY_KEYCHAIN_SERVICE: 'patchbay-test-sigkill' };
  if (process.env.DBUS_SESSION_BUS_ADDRESS) env.DBUS_SESSION_BUS_ADDRESS = process.env.DBUS_SESSION_BUS_ADDRESS;
  const dataDir = join(dir, 'data');
  const start = async () => {
    const p = await startServe({ configFile, dataDir, env });
    running.push(p);
    return p;
  };

  const first = await start();
  const post = (path: string, body: unknown, userAgent: string) =>
    fetch(`${first.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT}`, 'content-type': 'application/json', 'user-agent': userAgent },
      body: JSON.stringify(body),
    });

  // Completed before the kill: one whole, one streamed, on the fake NIM.
  const completed: string[] = [];
  for (const stream of [false, true]) {
    const res = await post('/v1/chat/completions', { model: 'nim/moonshotai/kimi-k2.6', stream, messages: [{ role: 'user', content: 'hi' }] }, 'opencode/0.5.1');
    assert.equal(res.status, 200, await res.clone().text());
    await res.text();
    completed.push(res.headers.get('x-patchbay-request-id')!);
  }

  // Three streams, one per client format, each reading its first bytes and then left open.
  const inFlight = [
    { path: '/v1/messages', body: { model: 'claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] }, agent: 'claude-code', ua: 'claude-cli/2.0.14 (external, cli)' },
    { path: '/v1/chat/completions', body: { model: 'stall-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }, agent: 'opencode', ua: 'opencode/0.5.1' },
    { path: '/v1/responses', body: { model: 'gpt-5-codex', stream: true, input: 'hi' }, agent: 'codex', ua: 'codex_exec/0.46.0' },
  ];
  const streamIds: string[] = [];
  for (const s of inFlight) {
    const res = await post(s.path, s.body, s.ua);
    assert.equal(res.status, 200, `${s.path}: ${res.status}`);
    const reader = res.body!.getReader();
    readers.push(reader);
    const firstChunk = await reader.read();
    assert.ok(firstChunk.value && firstChunk.value.byteLength > 0, `${s.path} streams`);
    streamIds.push(res.headers.get('x-patchbay-request-id')!);
  }
  const admin = async (p: ServeProcess, path: string) => {
    const res = await fetch(`${p.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    return res.json() as Promise<unknown>;
  };
  const before = (await admin(first, '/api/requests?limit=50')) as { items: RequestSummary[] };
  assert.deepEqual(
    before.items.filter((e) => e.inFlight).map((e) => e.id).sort(),
    [...streamIds].sort(),
    'the three streams are in flight',
  );

  await new Promise((r) => setTimeout(r, SETTLE_MS));
  await first.kill();
  assert.equal(first.child.signalCode, 'SIGKILL');
  for (const r of readers) await r.read().catch(() => undefined); // the streams end with the process

  const second = await start();
  const after = (await admin(second, '/api/requests?limit=50')) as { items: RequestSummary[] };
  const byId = new Map(after.items.map((e) => [e.id, e]));
  const recovered = streamIds.filter((id) => byId.get(id)?.interrupted === true);
  console.log(`# SIGKILL with ${streamIds.length} streams in flight: ${recovered.length} found interrupted after restart, ${streamIds.length - recovered.length} lost`);
  assert.equal(recovered.length, streamIds.length, JSON.stringify(after.items, null, 1));
  inFlight.forEach((s, i) => {
    const e = byId.get(streamIds[i]!)!;
    assert.equal(e.agent, s.agent, `${s.path} agent`);
    assert.equal(e.backend, 'stall', `${s.path} backend`);
    assert.equal(e.modelRequested, s.body.model, `${s.path} model asked`);
    assert.equal(e.modelUsed, 'stall-model', `${s.path} model used`);
    assert.equal(e.path, s.path);
    assert.equal(e.streamed, true);
    assert.equal(e.status, 0);
    assert.equal(e.inFlight, undefined);
    assert.equal(Date.parse(e.time) > 0, true);
  });
  assert.deepEqual(
    inFlight.map((_, i) => byId.get(streamIds[i]!)!.inboundFormat),
    ['anthropic', 'openai', 'responses'],
  );
  for (const id of completed) {
    const e = byId.get(id);
    assert.ok(e, `completed request ${id} kept`);
    assert.equal(e.status, 200);
    assert.equal(e.interrupted, undefined);
    assert.equal(e.backend, 'nim');
    assert.ok(e.tokens.output > 0, 'tokens kept');
  }
  assert.equal(after.items.length, 5, 'nothing doubled: one entry per request');
  const onlyInterrupted = (await admin(second, '/api/requests?status=interrupted')) as { items: RequestSummary[] };
  assert.deepEqual(onlyInterrupted.items.map((e) => e.id).sort(), [...streamIds].sort());
  const state = (await admin(second, '/api/state')) as { requestLog: { interrupted: number; skippedLines: number; failing: unknown } };
  assert.equal(state.requestLog.interrupted, 3);
  assert.equal(state.requestLog.failing, null);
});
