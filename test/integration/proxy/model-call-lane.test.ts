/**
 * The model-call lane (app/proxy/model-call-lane.ts) on a real socket: what fastify did for
 * model calls before, it does too (limits on bodies of unknown length, clients that leave
 * mid-body), and what is not a model call still reaches fastify.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { anthropicAuth, anthropicBody, call, startHarness, type Harness } from './proxy-harness';

let h: Harness;
before(async () => {
  h = await startHarness({ bodyLimitBytes: 64 * 1024 });
});
after(async () => h.close());

function send(path: string, write: (req: ReturnType<typeof request>) => void): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: h.port, method: 'POST', path, headers: { ...anthropicAuth, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    write(req);
  });
}

test('a body of unknown length (chunked) over the limit is refused with 413 in the client format, with its request id', async () => {
  const piece = 'x'.repeat(16 * 1024);
  const r = await send('/v1/messages?beta=true', (req) => {
    req.write(`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"`);
    for (let i = 0; i < 6; i++) req.write(piece);
    req.end('"}]}');
  });
  assert.equal(r.status, 413);
  const body = JSON.parse(r.text) as { type: string; error: { type: string } };
  assert.equal(body.type, 'error');
  assert.equal(body.error.type, 'request_too_large');
  assert.match(String(r.headers['x-patchbay-request-id']), /^req_/);
  assert.equal(h.nim.requests.length, 0, 'nothing reached the upstream');
});

test('a body is decoded as it arrives: characters cut between two writes, and a body over one upstream piece, reach the upstream whole', async () => {
  // Over 40K characters: it goes upstream in more than one piece (app/proxy/utf8-pieces.ts).
  const text = `${'a'.repeat(39_000)}${'😀'.repeat(2000)}${'é'.repeat(100)} end`;
  const bytes = Buffer.from(JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: text }] }));
  const before = h.nim.requests.length;
  const r = await send('/v1/messages', (req) => {
    // Cuts inside the four-byte and the two-byte characters.
    const cuts = [bytes.indexOf(Buffer.from('😀')) + 1, bytes.lastIndexOf(Buffer.from('é')) + 1];
    req.write(bytes.subarray(0, cuts[0]));
    req.write(bytes.subarray(cuts[0], cuts[1]));
    req.end(bytes.subarray(cuts[1]));
  });
  assert.equal(r.status, 200, r.text);
  const sent = h.nim.requests.slice(before).find((x) => x.path.endsWith('/chat/completions'));
  assert.ok(sent, 'the call reached the upstream');
  const user = (sent.body.messages as Array<{ role: string; content: unknown }>).find((m) => m.role === 'user');
  const content = typeof user?.content === 'string' ? user.content : (user?.content as Array<{ text: string }>).map((p) => p.text).join('');
  assert.equal(content, text);
});

test('a client that leaves in the middle of its body costs nothing: the next call is served', async () => {
  await new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port: h.port, method: 'POST', path: '/v1/messages', headers: { ...anthropicAuth, 'content-length': '5000' } });
    req.on('error', () => resolve());
    req.write('{"model":"m","mess');
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 50);
  });
  const r = await call(h, '/v1/messages', { headers: anthropicAuth, body: anthropicBody() });
  assert.equal(r.status, 200, r.text);
});

test('what is not a model call still goes to fastify: GET on a model path, a trailing slash, the models list', async () => {
  const get = await call(h, '/v1/messages', { method: 'GET', headers: anthropicAuth });
  assert.equal(get.status, 404);
  assert.equal((get.json() as { error: { type: string } }).error.type, 'not_found_error');
  const slash = await call(h, '/v1/messages/', { headers: anthropicAuth, body: anthropicBody() });
  assert.equal(slash.status, 404);
  const models = await call(h, '/v1/models', { method: 'GET', headers: anthropicAuth });
  assert.equal(models.status, 200, models.text);
});
