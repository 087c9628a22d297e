/**
 * A real proxied request in flight, seen through the HTTP host: the engine on a loopback socket,
 * the fake NIM behind a gate that holds the upstream call until the test releases it. While it
 * is held, `GET /api/requests` lists the request marked in flight and `GET /api/events` has sent
 * `requestStarted`; once released, `requestFinished` comes with the status and the log entry is final.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { request } from 'undici';
import type { AdminEvent, ListRequestsResult } from '../../../app/api/contract';
import { startEngine } from '../../../app/runtime/engine';
import { httpAdminClient } from '../../contract/http-admin-client';
import { startFakeNim } from '../../fakes/fake-nim';
import { randomClientToken, testKeychainService, writeEngineConfig } from '../../helpers/engine-config';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

/** Forwards to `target` each request once `release()` is called (requests before it wait). */
async function startGate(target: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      await opened;
      const headers = { ...req.headers };
      delete headers.host;
      const upstream = await request(target + req.url!.replace(/^\/gate/, ''), { method: req.method as 'POST', headers, body: Buffer.concat(chunks) });
      res.writeHead(upstream.statusCode, upstream.headers as Record<string, string>);
      for await (const chunk of upstream.body) res.write(chunk);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/gate`, release: open, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const nim = await startFakeNim({ key: 'nvapi-inflight-test-key-000111' });
const gate = await startGate(nim.url.replace(/\/v1$/, ''));
const dir = makeTempDir('in-flight');
const clientToken = randomClientToken();
const configPath = writeEngineConfig(dir, {
  clientToken,
  active: 'nim',
  backends: [{ id: 'nim', format: 'openai', baseUrl: `${gate.url}/v1`, apiKey: 'env:NIM_KEY', model: 'moonshotai/kimi-k2.6' }],
});
const engine = await startEngine({ configPath, dataDir: join(dir, 'data'), env: { NIM_KEY: nim.key }, keychainService: testKeychainService() });
const url = await engine.listen('127.0.0.1', 0);
const admin = httpAdminClient(url, engine.adminToken());
after(async () => {
  admin.close();
  await engine.close();
  await gate.close();
  await nim.close();
  removeTempDirs(dir);
});

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a streaming request is listed and announced while it runs, and final once it ends', async () => {
  const events: AdminEvent[] = [];
  const stop = admin.subscribe((e) => events.push(e));
  await until('the event stream', () => events.find((e) => e.type === 'stats'));

  const answer = fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${clientToken}`, 'user-agent': 'opencode/1.0' },
    body: JSON.stringify({ model: 'moonshotai/kimi-k2.6', stream: true, messages: [{ role: 'user', content: 'hello' }] }),
  });

  const started = await until('requestStarted', () => events.find((e) => e.type === 'requestStarted'));
  assert.equal(started.type === 'requestStarted' && started.data.inFlight, true);
  const id = started.data.id;
  const listed = (await admin.listRequests({})) as ListRequestsResult;
  assert.deepEqual([listed.items[0]?.id, listed.items[0]?.inFlight, listed.items[0]?.status, listed.items[0]?.path], [id, true, 0, '/v1/chat/completions']);
  assert.equal(nim.requests.length, 0, 'held at the gate: the upstream has not answered');

  gate.release();
  const res = await answer;
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-patchbay-request-id'), id, 'the id announced is the response id');
  await res.text();

  const finished = await until('requestFinished', () => events.find((e) => e.type === 'requestFinished' && e.data.id === id));
  assert.equal(finished.type === 'requestFinished' && finished.data.status, 200);
  assert.equal(finished.type === 'requestFinished' && finished.data.inFlight, undefined);
  const after = (await admin.listRequests({})) as ListRequestsResult;
  assert.deepEqual([after.items[0]?.id, after.items[0]?.inFlight, after.items[0]?.status, after.items[0]?.streamed], [id, undefined, 200, true]);
  stop();
});
