/**
 * Property through a real engine on a real socket, the upstream side: a scripted upstream of each
 * format answers with its streams (recorded or generated, damaged or not, in any pieces) or with
 * whole JSON answers (damaged or not), to a client of each format, through the translating path
 * and the same-format pass-through path alike. For each:
 * - a stream is answered 200 with a final event of the client's format (translated: exactly one,
 *   at the end; pass-through relays what the upstream sent after its own as it was); an
 *   undamaged (or only harmlessly changed) complete stream ends with a result, not an error;
 * - a whole answer is 200 JSON, or an error in the client's shape that is never "internal error"
 *   (a damaged upstream answer is the upstream's fault: a 5xx saying so is right);
 * - within a deadline per request.
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
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';
import { chunk, damageSse, isHarmless, sseDamage } from '../arbitraries/sse-damage';
import { upstreamStream } from '../arbitraries/upstream-streams';
import { responseBody } from '../arbitraries/wire-bodies';
import { assertClientErrorBody } from '../client-shapes';
import { clientMessages, isErrorMessage } from '../codecs/stream-pipeline';
import { checkProperty } from '../fuzz-settings';
import { startScriptedUpstream, type ScriptedUpstream } from './scripted-upstream';

const REQUEST_DEADLINE_MS = 20_000;
const CLIENT_TOKEN = `pb-client-${randomBytes(16).toString('hex')}`;
const BASE_PATH: Record<WireFormat, string> = { anthropic: '/anthropic', openai: '/v1', responses: '/v1' };

let engine: Engine;
let port: number;
let upstream: ScriptedUpstream;
let dir: string;

before(async () => {
  upstream = await startScriptedUpstream();
  dir = makeTempDir('engine-upstream-fuzz');
  const configPath = join(dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      clientToken: CLIENT_TOKEN,
      active: 'up-openai',
      limits: { maxAttempts: 1 },
      backends: WIRE_FORMATS.map((f) => ({ id: `up-${f}`, format: f, baseUrl: upstream.origin + BASE_PATH[f], apiKey: 'none', model: 'model-x', quirks: 'none' })),
    }),
  );
  engine = await startEngine({ configPath, dataDir: join(dir, 'data'), env: {}, keychainService: `patchbay-fuzz-${randomBytes(4).toString('hex')}` });
  port = Number(new URL(await engine.listen('127.0.0.1', 0)).port);
});

after(async () => {
  await engine?.close();
  await upstream?.close();
  removeTempDirs(dir);
});

function clientBody(format: WireFormat, backend: WireFormat, stream: boolean): { path: string; body: Record<string, unknown> } {
  const model = `up-${backend}/model-x`;
  switch (format) {
    case 'anthropic':
      return { path: '/v1/messages', body: { model, max_tokens: 256, stream, messages: [{ role: 'user', content: 'hi' }] } };
    case 'openai':
      return { path: '/v1/chat/completions', body: { model, stream, messages: [{ role: 'user', content: 'hi' }] } };
    case 'responses':
      return { path: '/v1/responses', body: { model, stream, store: false, input: 'hi' } };
  }
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

function post(format: WireFormat, path: string, body: unknown): Promise<Answer> {
  const auth = format === 'anthropic' ? { 'x-api-key': CLIENT_TOKEN } : { authorization: `Bearer ${CLIENT_TOKEN}` };
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(REQUEST_DEADLINE_MS, () => req.destroy(new Error(`hang: no complete answer within ${REQUEST_DEADLINE_MS} ms`)));
    req.end(JSON.stringify(body));
  });
}

const format = () => fc.constantFrom(...WIRE_FORMATS);

test('engine: damaged upstream streams of every format, in any pieces, end every client stream with a final event', async () => {
  const counts = { requests: 0, results: 0, errors: 0, passThrough: 0, hangs: 0 };
  await checkProperty(
    'engine: upstream streams -> every client',
    fc.asyncProperty(
      format().chain((backend) => fc.record({ backend: fc.constant(backend), src: upstreamStream(backend) })),
      fc.oneof(fc.array(sseDamage(), { maxLength: 3 }), fc.array(sseDamage().filter(isHarmless), { maxLength: 2 })),
      fc.array(fc.nat(), { maxLength: 10 }),
      format(),
      async ({ backend, src }, damage, points, client) => {
        upstream.answer({ status: 200, contentType: 'text/event-stream', chunks: chunk(Buffer.from(damageSse(src.text, damage), 'utf8'), { kind: 'points', points }) });
        const { path, body } = clientBody(client, backend, true);
        const answer = await post(client, path, body).catch((err: Error) => {
          if (err.message.startsWith('hang')) counts.hangs++;
          throw err;
        });
        counts.requests++;
        assert.equal(upstream.served(), 1, 'the upstream was called once');
        assert.equal(answer.status, 200, answer.text.slice(0, 300));
        const messages = clientMessages(answer.text);
        const wire = codecFor(client).wire;
        const passThrough = client === backend;
        const finals = messages.filter((m) => wire.isFinalEvent(m));
        if (passThrough) {
          // Pass-through relays the upstream's events as they were, even what it sends after its own
          // final event (seed 255865953: `data: {bad json` after response.failed); the final event is there.
          counts.passThrough++;
          assert.ok(finals.length > 0, `the stream has a final event: ...${answer.text.slice(-300)}`);
        } else {
          assert.equal(finals.length, 1, `one final event: ...${answer.text.slice(-300)}`);
          assert.ok(wire.isFinalEvent(messages.at(-1) as (typeof messages)[number]), `the stream ends with its final event: ...${answer.text.slice(-300)}`);
        }
        const last = finals.at(-1) as (typeof messages)[number];
        const failed = isErrorMessage(last);
        if (damage.every(isHarmless) && src.succeeds) assert.ok(!failed, `a whole valid stream ends with a result: ...${answer.text.slice(-300)}`);
        if (failed) counts.errors++;
        else counts.results++;
      },
    ),
    40,
    counts,
    { costly: true },
  );
  assert.equal(counts.hangs, 0);
});

test('engine: damaged whole upstream answers of every format reach every client as JSON or an error in its shape, never "internal error"', async () => {
  const counts = { requests: 0, ok: 0, refused: 0 };
  await checkProperty(
    'engine: upstream whole answers -> every client',
    fc.asyncProperty(format().chain((backend) => fc.record({ backend: fc.constant(backend), body: responseBody(backend) })), format(), async ({ backend, body }, client) => {
      upstream.answer({ status: 200, contentType: 'application/json', chunks: [Buffer.from(JSON.stringify(body) ?? 'null')] });
      const { path, body: request } = clientBody(client, backend, false);
      const answer = await post(client, path, request);
      counts.requests++;
      upstream.served();
      if (answer.status === 200) {
        counts.ok++;
        if (client !== backend) JSON.parse(answer.text);
        return;
      }
      counts.refused++;
      const error = JSON.parse(answer.text) as unknown;
      assertClientErrorBody(client, error, `${backend} -> ${client}: ${answer.status} ${answer.text.slice(0, 300)}`);
      assert.doesNotMatch(answer.text, /internal error in the proxy/, 'no exception escaped the translation');
    }),
    40,
    counts,
    { costly: true },
  );
});
