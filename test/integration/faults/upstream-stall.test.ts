// Fault: an upstream that accepts the connection and never answers, or that answers, sends a
// few events and stalls. The client gets keep-alive pings while it waits, then a timeout error
// in its own format (a 504 body when nothing was sent yet, the format's error event inside a
// stream), and the request log records the timeout. Timeouts are small here through the
// backend's config (firstByteTimeoutMs, idleTimeoutMs); the defaults are minutes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { WireFormat } from '../../../app/codecs/codec';
import { startEngine } from '../../../app/runtime/engine';
import { SLOW_PIECES, startStallingUpstream, type StallingUpstream, type StallMode } from '../../fakes/stalling-upstream';
import { randomAdminToken, randomClientToken, testKeychainService, writeEngineConfig } from '../../helpers/engine-config';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

const FORMATS: WireFormat[] = ['anthropic', 'openai', 'responses'];
const FIRST_BYTE_MS = 700;
const IDLE_MS = 900;
/** The slow model's gap between chunks: under both timeouts, its whole answer well over them. */
const SLOW_GAP_MS = 400;
const PING_MS = 100;

const upstreams = new Map<string, StallingUpstream>();
for (const mode of ['silent', 'stall'] as StallMode[]) {
  for (const format of FORMATS) upstreams.set(`${mode}-${format}`, await startStallingUpstream(mode, format));
}
upstreams.set('slow-openai', await startStallingUpstream('slow', 'openai', SLOW_GAP_MS));
const dir = makeTempDir('stall');
const clientToken = randomClientToken();
const configPath = writeEngineConfig(dir, {
  clientToken,
  adminToken: randomAdminToken(),
  active: 'silent-openai',
  // Two attempts: a timeout before any content is retried once, then answered.
  limits: { maxAttempts: 2 },
  backends: [...upstreams].map(([id, u]) => ({
    id,
    format: id.split('-')[1],
    baseUrl: u.baseUrl,
    apiKey: 'none',
    model: 'stall-model',
    firstByteTimeoutMs: FIRST_BYTE_MS,
    idleTimeoutMs: IDLE_MS,
  })),
});
const engine = await startEngine({ configPath, dataDir: join(dir, 'data'), pingIntervalMs: PING_MS, keychainService: testKeychainService() });
const url = await engine.listen('127.0.0.1', 0);
after(async () => {
  await engine.close();
  await Promise.all([...upstreams.values()].map((u) => u.close()));
  removeTempDirs(dir);
});

const ROUTES: Record<WireFormat, string> = { anthropic: '/v1/messages', openai: '/v1/chat/completions', responses: '/v1/responses' };

function body(client: WireFormat, backendId: string, stream: boolean, storeAnswer: boolean): Record<string, unknown> {
  const model = `${backendId}/stall-model`;
  if (client === 'anthropic') return { model, max_tokens: 50, stream, messages: [{ role: 'user', content: 'hi' }] };
  if (client === 'openai') return { model, stream, messages: [{ role: 'user', content: 'hi' }] };
  return { model, stream, input: 'hi', ...(storeAnswer ? {} : { store: false }) };
}

interface Exchange {
  status: number;
  text: string;
  events: EventSourceMessage[];
  /** Ping frames seen (Anthropic `event: ping`, OpenAI and Responses `: ping` comments). */
  pings: number;
  requestId: string;
  ms: number;
}

async function call(client: WireFormat, backendId: string, stream: boolean, storeAnswer = false): Promise<Exchange> {
  const started = Date.now();
  const res = await fetch(url + ROUTES[client], {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${clientToken}`, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body(client, backendId, stream, storeAnswer)),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  const events: EventSourceMessage[] = [];
  createParser({ onEvent: (e) => events.push(e) }).feed(text);
  const pings = client === 'anthropic' ? events.filter((e) => e.event === 'ping').length : (text.match(/^: ping$/gm) ?? []).length;
  return { status: res.status, text, events, pings, requestId: res.headers.get('x-patchbay-request-id') ?? '', ms: Date.now() - started };
}

/** The stream ends with the client format's own error event, saying the backend timed out. */
function assertTimeoutEvent(client: WireFormat, ex: Exchange, backendId: string): void {
  const last = ex.events.at(-1);
  assert.ok(last, `events in:\n${ex.text}`);
  const data = JSON.parse(last.data) as { type?: unknown; error?: { type?: unknown } };
  if (client === 'anthropic') {
    assert.equal(last.event, 'error', ex.text);
    assert.equal(data.error?.type, 'timeout_error', ex.text);
  } else if (client === 'openai') {
    assert.ok(data.error, `an error chunk last:\n${ex.text}`);
  } else {
    assert.ok(['error', 'response.failed'].includes(String(data.type)), `an error event last:\n${ex.text}`);
  }
  assert.match(last.data, new RegExp(`backend \\\\?"${backendId}\\\\?".*timed out`), ex.text);
  const setting = backendId.startsWith('silent') ? `no answer within ${FIRST_BYTE_MS} ms \\(the backend's firstByteTimeoutMs\\)` : `nothing received for ${IDLE_MS} ms .*idleTimeoutMs`;
  assert.match(last.data, new RegExp(setting), 'the message says which wait ran out and its setting');
}

async function loggedEntry(requestId: string) {
  // The entry is written as the request finishes: give the log a moment.
  for (let i = 0; i < 50; i++) {
    const entry = await engine.api.getRequest({ id: requestId }).catch(() => undefined);
    if (entry && entry.inFlight !== true) return entry;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`request ${requestId} not in the log`);
}

for (const client of FORMATS) {
  test(`${client} client, upstream never answers (not streaming): a 504 in its format after the first-byte timeout, logged`, async () => {
    const upstream = upstreams.get(`silent-${client}`)!;
    const before = upstream.connections;
    const ex = await call(client, `silent-${client}`, false);
    assert.equal(ex.status, 504, ex.text);
    const error = (JSON.parse(ex.text) as { error: { message: string; type?: string } }).error;
    assert.match(error.message, new RegExp(`backend "silent-[a-z]+" .*timed out: no answer within ${FIRST_BYTE_MS} ms \\(the backend's firstByteTimeoutMs\\)`));
    if (client === 'anthropic') assert.equal(error.type, 'timeout_error');
    assert.equal(upstream.connections - before, 2, 'tried twice (limits.maxAttempts), then answered');
    assert.ok(ex.ms >= 2 * FIRST_BYTE_MS, `waited for the timeout: ${ex.ms} ms`);
    const entry = await loggedEntry(ex.requestId);
    assert.equal(entry.status, 504);
    assert.match(entry.error ?? '', /timed out/);
    assert.equal(entry.retries, 1);
  });

  test(`${client} client, upstream never answers (streaming): pings while waiting, then its error event`, async () => {
    const ex = await call(client, `silent-${client}`, true);
    assert.equal(ex.status, 200, 'the pings committed the stream');
    assert.ok(ex.pings >= 5, `pings while waiting (${ex.pings} in ${ex.ms} ms):\n${ex.text}`);
    assertTimeoutEvent(client, ex, `silent-${client}`);
    const entry = await loggedEntry(ex.requestId);
    assert.match(entry.error ?? '', /timed out/);
  });

  // Same format (relayed as it comes) and crossed (translated), for each client format.
  const crossed: WireFormat = client === 'openai' ? 'anthropic' : 'openai';
  for (const backendFormat of [client, crossed]) {
    test(`${client} client, ${backendFormat} upstream stalls mid-stream: the events so far, pings, then its error event, logged`, async () => {
      const backendId = `stall-${backendFormat}`;
      const upstream = upstreams.get(backendId)!;
      const closedBefore = upstream.closedByProxy;
      const ex = await call(client, backendId, true);
      assert.equal(ex.status, 200);
      assert.match(ex.text, /hel/, 'the text before the stall reached the client');
      assert.ok(ex.pings >= 3, `pings during the stall (${ex.pings} in ${ex.ms} ms):\n${ex.text}`);
      assert.ok(ex.ms >= IDLE_MS, `waited for the idle timeout: ${ex.ms} ms`);
      assertTimeoutEvent(client, ex, backendId);
      const entry = await loggedEntry(ex.requestId);
      assert.match(entry.error ?? '', /timed out/);
      assert.equal(entry.retries, 0, 'content reached the client: never retried');
      // The proxy let go of the stalled connection.
      for (let i = 0; i < 50 && upstream.closedByProxy === closedBefore; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(upstream.closedByProxy - closedBefore, 1);
    });
  }
}

test('Responses client keeping its answer (translated path) gets the error event too', async () => {
  const ex = await call('responses', 'stall-responses', true, true);
  assert.equal(ex.status, 200);
  assert.match(ex.text, /hel/);
  assertTimeoutEvent('responses', ex, 'stall-responses');
});

test('a slow but live model is not cut: gaps under the idle timeout, the whole answer far over both', async () => {
  const exchanges = await Promise.all(FORMATS.map((client) => call(client, 'slow-openai', true)));
  for (const [i, client] of FORMATS.entries()) {
    const ex = exchanges[i]!;
    assert.equal(ex.status, 200, ex.text);
    assert.ok(ex.ms > FIRST_BYTE_MS + IDLE_MS, `the answer took ${ex.ms} ms`);
    const text = SLOW_PIECES.join('');
    const pieces = ex.events.map((e) => e.data).join('');
    for (const piece of SLOW_PIECES) assert.ok(pieces.includes(JSON.stringify(piece).slice(1, -1)), `${piece} relayed`);
    assert.doesNotMatch(ex.text, /timed out/, `${client}: no timeout in\n${ex.text}`);
    const entry = await loggedEntry(ex.requestId);
    assert.equal(entry.status, 200);
    assert.equal(entry.error, undefined, `${client} logged without error (${text})`);
  }
});
