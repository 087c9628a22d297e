/**
 * Property through a real engine on a real socket (startEngine, temp data dir, the fake NIM,
 * Moonshot and OpenAI Responses upstreams, each behind a status recorder): every client route of
 * every format gets random bodies (damaged client requests, pinned to each backend or not) and raw
 * damaged bytes (truncated JSON, wrong content types, binary, empty). For each:
 * - no 5xx unless the fake upstream answered one for that request;
 * - an error is a JSON body in the client's own format (unless it is the upstream's own error
 *   relayed as it was);
 * - a stream ends with exactly one final event of the client's format;
 * - the answer comes within a deadline (a hang fails the case, not the suite).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import fc from 'fast-check';
import type { WireFormat } from '../../../app/codecs/codec';
import { codecFor, WIRE_FORMATS } from '../../../app/codecs/registry';
import { startEngine, type Engine } from '../../../app/runtime/engine';
import { startFakeMoonshot } from '../../fakes/fake-moonshot';
import { startFakeNim } from '../../fakes/fake-nim';
import { startFakeOpenAiResponses } from '../../fakes/fake-openai-responses';
import type { Brain, FakeUpstream } from '../../fakes/scenario';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';
import { requestBody, validRequestBody } from '../arbitraries/wire-bodies';
import { assertClientErrorBody } from '../client-shapes';
import { clientMessages } from '../codecs/stream-pipeline';
import { checkProperty } from '../fuzz-settings';
import { startStatusRecorder, type StatusRecorder } from './status-recorder';

const REQUEST_DEADLINE_MS = 20_000;
const CLIENT_TOKEN = `pb-client-${randomBytes(16).toString('hex')}`;
const PINNED_MODELS = [undefined, 'nim/moonshotai/kimi-k2.6', 'moonshot/kimi-k2.6', 'openai/gpt-5', 'nowhere/model'];

/** Answers with reasoning and text, so streams carry thinking blocks. */
const brain: Brain = () => ({ steps: [{ type: 'reasoning', text: 'thinking 日本' }, { type: 'text', text: 'ok ✓' }] });

let engine: Engine;
let port: number;
let fakes: FakeUpstream[] = [];
let recorders: StatusRecorder[] = [];
let dir: string;

before(async () => {
  fakes = [await startFakeNim({ brain }), await startFakeMoonshot({ brain }), await startFakeOpenAiResponses({ brain })];
  recorders = await Promise.all(fakes.map((f) => startStatusRecorder(f.url)));
  const [nim, moonshot, openai] = fakes as [FakeUpstream, FakeUpstream, FakeUpstream];
  const [rNim, rMoonshot, rOpenai] = recorders as [StatusRecorder, StatusRecorder, StatusRecorder];
  dir = makeTempDir('engine-fuzz');
  const configPath = join(dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      clientToken: CLIENT_TOKEN,
      active: 'nim',
      // One attempt: a relayed upstream 5xx is not retried for a minute of backoff.
      limits: { maxAttempts: 1 },
      backends: [
        { id: 'nim', format: 'openai', baseUrl: `${rNim.origin}/v1`, apiKey: 'env:NIM_KEY', model: 'moonshotai/kimi-k2.6' },
        { id: 'moonshot', format: 'anthropic', baseUrl: `${rMoonshot.origin}/anthropic`, apiKey: 'env:MOONSHOT_KEY', model: 'kimi-k2.6' },
        { id: 'openai', format: 'responses', baseUrl: `${rOpenai.origin}/v1`, apiKey: 'env:OPENAI_KEY', model: 'gpt-5' },
      ],
    }),
  );
  engine = await startEngine({
    configPath,
    dataDir: join(dir, 'data'),
    env: { NIM_KEY: nim.key, MOONSHOT_KEY: moonshot.key, OPENAI_KEY: openai.key },
    keychainService: `patchbay-fuzz-${randomBytes(4).toString('hex')}`,
  });
  port = Number(new URL(await engine.listen('127.0.0.1', 0)).port);
});

after(async () => {
  await engine?.close();
  await Promise.all(recorders.map((r) => r.close()));
  await Promise.all(fakes.map((f) => f.close()));
  removeTempDirs(dir);
});

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

class Hang extends Error {}

function send(path: string, format: WireFormat, payload: Buffer | undefined, headers: Record<string, string>): Promise<Answer> {
  const auth = format === 'anthropic' ? { 'x-api-key': CLIENT_TOKEN, 'anthropic-version': '2023-06-01' } : { authorization: `Bearer ${CLIENT_TOKEN}` };
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...auth, ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(REQUEST_DEADLINE_MS, () => req.destroy(new Hang(`no complete answer within ${REQUEST_DEADLINE_MS} ms`)));
    req.end(payload);
  });
}

interface Counts extends Record<string, number> {
  requests: number;
  ok: number;
  refused4xx: number;
  relayedUpstream5xx: number;
  patchbay5xx: number;
  hangs: number;
  streams: number;
}

/** Set at the first hang: later cases (fast-check's shrinking included) pass at once, so the hanging case is reported as it was instead of being shrunk one 20 s deadline at a time. */
let hung = false;

async function check(path: string, format: WireFormat, payload: Buffer | undefined, headers: Record<string, string>, counts: Counts): Promise<void> {
  if (hung) return;
  for (const r of recorders) r.take();
  let answer: Answer;
  try {
    answer = await send(path, format, payload, headers);
  } catch (err) {
    if (err instanceof Hang) {
      counts.hangs++;
      hung = true;
    }
    throw err;
  }
  const upstream = recorders.flatMap((r) => r.take());
  counts.requests++;
  const context = `${path} -> ${answer.status} ${answer.text.slice(0, 300)}`;
  if (answer.status >= 500) {
    if (upstream.some((s) => s >= 500)) counts.relayedUpstream5xx++;
    else {
      counts.patchbay5xx++;
      assert.fail(`a 5xx from Patchbay itself (upstream said ${JSON.stringify(upstream)}): ${context}`);
    }
  }
  if (answer.status >= 400) {
    if (answer.status < 500) counts.refused4xx++;
    // The upstream's own error relayed verbatim (same-format pass-through) keeps the upstream's shape.
    if (!upstream.includes(answer.status)) assertClientErrorBody(format, JSON.parse(answer.text), context);
    return;
  }
  counts.ok++;
  if (answer.contentType.startsWith('text/event-stream')) {
    counts.streams++;
    const messages = clientMessages(answer.text);
    const finals = messages.map((m, i) => (codecFor(format).wire.isFinalEvent(m) ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(finals, [messages.length - 1], `one final event, last: ${context.slice(0, 200)} ... ${answer.text.slice(-300)}`);
  } else {
    JSON.parse(answer.text);
  }
}

const emptyCounts = (): Counts => ({ requests: 0, ok: 0, refused4xx: 0, relayedUpstream5xx: 0, patchbay5xx: 0, hangs: 0, streams: 0 });

/** A body with its model pinned to a backend (or left alone). */
function pinned(body: unknown, model: string | undefined): unknown {
  if (model === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return { ...(body as Record<string, unknown>), model };
}

for (const format of WIRE_FORMATS) {
  for (const route of codecFor(format).wire.clientRoutes) {
    test(`engine: ${route.path} answers damaged ${format} bodies with a translation or a ${format}-shaped 4xx, never its own 5xx`, async () => {
      const counts = emptyCounts();
      await checkProperty(
        `engine: ${route.path} JSON bodies`,
        fc.asyncProperty(requestBody(format), fc.constantFrom(...PINNED_MODELS), async (body, model) => {
          await check(route.path, format, Buffer.from(JSON.stringify(pinned(body, model)) ?? 'null'), { 'content-type': 'application/json' }, counts);
        }),
        route.operation === 'chat' ? 60 : 20,
        counts,
        { costly: true },
      );
      assert.equal(counts.patchbay5xx, 0);
      assert.ok(counts.ok > 0 && counts.refused4xx > 0, `both translations and refusals reached: ${JSON.stringify(counts)}`);
    });
  }
}

/** Raw bytes a broken client or a hostile page sends, with the headers it sends them with. */
const rawRequest = (format: WireFormat): fc.Arbitrary<{ payload: Buffer; headers: Record<string, string> }> =>
  fc.oneof(
    // Truncated JSON.
    fc.tuple(validRequestBody(format), fc.nat()).map(([body, at]) => {
      const text = Buffer.from(JSON.stringify(body));
      return { payload: text.subarray(0, at % Math.max(1, text.length)), headers: { 'content-type': 'application/json' } };
    }),
    // Binary.
    fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ payload: Buffer.from(bytes), headers: { 'content-type': 'application/json' } })),
    // A good body under a wrong or odd content type, or a false encoding.
    fc
      .tuple(
        validRequestBody(format),
        fc.constantFrom<Record<string, string>>(
          { 'content-type': 'text/plain' },
          { 'content-type': 'application/x-www-form-urlencoded' },
          { 'content-type': 'multipart/form-data; boundary=x' },
          { 'content-type': 'application/octet-stream' },
          { 'content-type': 'application/json; charset=latin1' },
          { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          {},
        ),
      )
      .map(([body, headers]) => ({ payload: Buffer.from(JSON.stringify(body)), headers })),
    // Empty, JSON that is not an object, nesting deeper than any parser likes.
    fc.constantFrom('', ' ', 'null', '[]', '"text"', '1e400', '{"model":', '[[[[[[[[[['.repeat(2000), '{"a":'.repeat(5000) + '1' + '}'.repeat(5000), '\uFEFF{"model":"m"}').map((text) => ({
      payload: Buffer.from(text),
      headers: { 'content-type': 'application/json' },
    })),
  );

for (const format of WIRE_FORMATS) {
  const route = codecFor(format).wire.clientRoutes[0] as { path: string };
  test(`engine: ${route.path} answers raw damaged bytes with a ${format}-shaped 4xx (or a translation), never a 5xx`, async () => {
    const counts = emptyCounts();
    await checkProperty(
      `engine: ${route.path} raw bytes`,
      fc.asyncProperty(rawRequest(format), async ({ payload, headers }) => {
        await check(route.path, format, payload, headers, counts);
      }),
      40,
      counts,
      { costly: true },
    );
    assert.equal(counts.patchbay5xx, 0);
    assert.ok(counts.refused4xx > 0, `refusals reached: ${JSON.stringify(counts)}`);
  });
}
