// Closing the engine with model calls in flight (quit from the tray, SIGTERM to `patchbay serve`):
// a stream that finishes within the grace finishes; one that does not is cut with the client
// format's error event; every request is in the request log, finished; the port is released.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startEngine } from '../../../app/runtime/engine';
import { startStallingUpstream } from '../../fakes/stalling-upstream';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

test('close lets a slow stream finish, cuts a stalled one with an error event, flushes the log, releases the port', async () => {
  const stalled = await startStallingUpstream('stall', 'openai');
  const slow = await startStallingUpstream('slow', 'openai', 100);
  const dir = makeTempDir('engine-close');
  const configPath = join(dir, 'config.json');
  const clientToken = `pb-client-${randomBytes(16).toString('hex')}`;
  writeFileSync(
    configPath,
    JSON.stringify({
      clientToken,
      adminToken: `pb-admin-${randomBytes(16).toString('hex')}`,
      active: 'stalled',
      backends: [
        { id: 'stalled', format: 'openai', baseUrl: stalled.baseUrl, apiKey: 'none', model: 'stall-model' },
        { id: 'slow', format: 'openai', baseUrl: slow.baseUrl, apiKey: 'none', model: 'slow-model' },
      ],
    }),
  );
  const engine = await startEngine({ configPath, dataDir: join(dir, 'data'), closeGraceMs: 3000, keychainService: `patchbay-test-${randomBytes(4).toString('hex')}` });
  try {
    const url = await engine.listen('127.0.0.1', 0);
    const port = Number(new URL(url).port);
    const ask = (model: string) =>
      fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': clientToken, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model, max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
    const cutRes = await ask('stalled/stall-model');
    const slowRes = await ask('slow/slow-model');
    assert.equal(cutRes.status, 200);
    assert.equal(slowRes.status, 200);
    const cutText = cutRes.text();
    const slowText = slowRes.text();
    // Both are streaming now; the stalled one will never end by itself.
    await new Promise((r) => setTimeout(r, 150));

    const started = Date.now();
    await engine.close();
    const took = Date.now() - started;

    const cut = await cutText;
    assert.match(cut, /event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error","message":"Patchbay is shutting down/);
    const finished = await slowText;
    assert.match(finished, /event: message_stop/, 'the slow stream finished within the grace');
    assert.doesNotMatch(finished, /shutting down/);
    // The stalled stream held the close until the grace ran out (a lower bound: timers never fire early).
    assert.ok(took >= 2900, `close waited for the grace before cutting (took ${took} ms)`);

    // The port is free again.
    await new Promise<void>((resolve, reject) => {
      const probe = createServer().once('error', reject);
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });

    // The log was flushed: both requests are on disk, finished (read back by a fresh engine).
    const reopened = await startEngine({ configPath, dataDir: join(dir, 'data'), keychainService: `patchbay-test-${randomBytes(4).toString('hex')}` });
    try {
      const { items } = await reopened.api.listRequests({});
      const byBackend = new Map(items.map((i) => [i.backend, i]));
      assert.equal(byBackend.get('slow')?.status, 200);
      assert.equal(byBackend.get('slow')?.error, undefined);
      assert.match(byBackend.get('stalled')?.error ?? '', /shutting down/);
      for (const item of items) assert.notEqual(item.status, 'interrupted' as never);
    } finally {
      await reopened.close();
    }
  } finally {
    await engine.close();
    await Promise.all([stalled.close(), slow.close()]);
    removeTempDirs(dir);
  }
});
