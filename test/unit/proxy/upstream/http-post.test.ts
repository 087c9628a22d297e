// The upstream HTTP client (app/proxy/upstream/http-post.ts) against real local servers: the
// keep-alive agents reuse one connection, and each bounded wait fails with its own code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postUpstream, readText, UpstreamAgents } from '../../../../app/proxy/upstream/http-post';

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  let accepted = 0;
  const server: Server = createServer(handler);
  server.on('connection', () => (accepted += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const post = (url: string, agents: UpstreamAgents, extra: { firstByteMs?: number; idleMs?: number; signal?: AbortSignal } = {}) =>
  postUpstream(url, { headers: { 'content-type': 'application/json' }, body: '{"model":"m","messages":[]}', firstByteMs: 5000, idleMs: 5000, ...extra }, agents);

test('answers come back with status, headers and body; requests reuse one connection', async (t) => {
  const seen: string[] = [];
  const up = await serve(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push(`${req.headers['content-length']} ${body}`);
    res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining-requests': '9' }).end('{"ok":"é"}');
  });
  const agents = new UpstreamAgents();
  t.after(async () => {
    agents.destroy();
    await up.close();
  });
  for (let i = 0; i < 3; i++) {
    const res = await post(up.url, agents);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['x-ratelimit-remaining-requests'], '9');
    assert.equal(await readText(res), '{"ok":"é"}');
  }
  assert.deepEqual(seen, Array(3).fill('27 {"model":"m","messages":[]}'));
  assert.equal(up.connections(), 1);
});

test('no headers within firstByteMs: UPSTREAM_HEADERS_TIMEOUT', async (t) => {
  const up = await serve(() => undefined); // never answers
  const agents = new UpstreamAgents();
  t.after(async () => {
    agents.destroy();
    await up.close();
  });
  await assert.rejects(post(up.url, agents, { firstByteMs: 150 }), { code: 'UPSTREAM_HEADERS_TIMEOUT' });
});

test('a body that goes silent for idleMs is cut with UPSTREAM_BODY_TIMEOUT; a steady one is not', async (t) => {
  const up = await serve((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const steady = req.url?.includes('steady');
    let sent = 0;
    const tick = setInterval(() => {
      res.write(`data: ${sent}\n\n`);
      sent += 1;
      if (steady && sent === 8) {
        clearInterval(tick);
        res.end();
      }
      if (!steady && sent === 2) clearInterval(tick); // then silence
    }, 60);
    res.on('close', () => clearInterval(tick));
  });
  const agents = new UpstreamAgents();
  t.after(async () => {
    agents.destroy();
    await up.close();
  });
  // 8 pieces 60 ms apart: 480 ms in all, over the 200 ms idle limit, never silent that long.
  const steady = await post(up.url.replace('completions', 'completions?steady'), agents, { idleMs: 200 });
  assert.match(await readText(steady), /data: 7/);
  const stalling = await post(up.url, agents, { idleMs: 200 });
  await assert.rejects(readText(stalling), { code: 'UPSTREAM_BODY_TIMEOUT' });
});

test('an abort destroys the request at once', async (t) => {
  const up = await serve(() => undefined);
  const agents = new UpstreamAgents();
  t.after(async () => {
    agents.destroy();
    await up.close();
  });
  const abort = new AbortController();
  const pending = post(up.url, agents, { signal: abort.signal });
  setTimeout(() => abort.abort(), 50);
  await assert.rejects(pending, { name: 'AbortError' });
});

test('nothing listening: the connect error comes back with its code', async (t) => {
  const up = await serve(() => undefined);
  const url = up.url;
  await up.close();
  const agents = new UpstreamAgents();
  t.after(() => agents.destroy());
  await assert.rejects(post(url, agents), { code: 'ECONNREFUSED' });
});
