/**
 * Problems of Patchbay's own configuration, through a real `patchbay serve` process on real
 * sockets: each is a 400 in the caller's format (no client retries a 400: docs/client-retries.md)
 * whose message carries the fix. Nothing listens on the backends' ports: no upstream is reached.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startProxy, type RunningProxy } from '../../helpers/proxy';

const CLIENT_TOKEN = 'pb-client-config-problems-0123';
const ADMIN_TOKEN = 'pb-admin-config-problems-01234';
let proxy: RunningProxy;
let closedPort: number;

/** A loopback port nobody listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

before(async () => {
  closedPort = await freePort();
  proxy = await startProxy({
    config: {
      clientToken: CLIENT_TOKEN,
      adminToken: ADMIN_TOKEN,
      active: 'local',
      backends: [
        { id: 'local', format: 'openai', baseUrl: `http://127.0.0.1:${closedPort}/v1`, apiKey: 'none', model: 'qwen3-coder' },
        { id: 'nokey', format: 'anthropic', baseUrl: `http://127.0.0.1:${closedPort}`, apiKey: 'env:PB_TEST_UNSET_KEY', model: 'kimi-k2.6' },
        { id: 'typo', format: 'openai', baseUrl: 'http://no-such-host.invalid/v1', apiKey: 'none', model: 'm' },
        { id: 'vault', format: 'openai', baseUrl: `http://127.0.0.1:${closedPort}/v1`, apiKey: 'keychain', model: 'm' },
      ],
    },
    // No Secret Service at this address: the OS keychain is unusable for this proxy.
    env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/patchbay-test-bus' },
  });
});

after(async () => {
  await proxy?.stop();
});

async function ask(path: string, model: string) {
  const anthropic = path === '/v1/messages';
  const res = await fetch(proxy.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${CLIENT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(anthropic ? { model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] } : { model, messages: [{ role: 'user', content: 'hi' }] }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { type?: string; error: { type: string; message: string; code?: string } };
  return { status: res.status, body };
}

test('no key for the backend: 400 in the Anthropic format naming the variable, the restart and the curl call', async () => {
  const { status, body } = await ask('/v1/messages', 'nokey/kimi-k2.6');
  assert.equal(status, 400, JSON.stringify(body));
  assert.equal(body.type, 'error');
  assert.equal(body.error.type, 'invalid_request_error');
  assert.match(body.error.message, /PB_TEST_UNSET_KEY is not set.*restart Patchbay.*curl -X PUT http:\/\/127\.0\.0\.1:\d+\/api\/backends\/nokey\/key/s);
  assert.ok(body.error.message.includes(`curl -X PUT ${proxy.url}/api/backends/nokey/key`), 'the curl call names this proxy as the client reached it');
  assert.ok(!body.error.message.includes(ADMIN_TOKEN), 'the admin token is never put in a client-facing message');
});

test('mistyped <backend>/ prefix: 400 in the OpenAI format naming the backends', async () => {
  const { status, body } = await ask('/v1/chat/completions', 'nokye/kimi-k2.6');
  assert.equal(status, 400, JSON.stringify(body));
  assert.equal(body.error.code, 'patchbay_config');
  assert.match(body.error.message, /"nokye\/".*"local", "nokey", "typo", "vault"/);
  const pinned = await ask('/v1/messages', 'local/lcoal/qwen3-coder');
  assert.equal(pinned.status, 400, JSON.stringify(pinned.body));
  assert.equal(pinned.body.error.type, 'invalid_request_error');
  assert.match(pinned.body.error.message, /"lcoal\/"/);
});

test('nothing listening on a loopback baseUrl: 400 after the proxy retries, naming the URL', async () => {
  const { status, body } = await ask('/v1/chat/completions', 'hi');
  assert.equal(status, 400, JSON.stringify(body));
  assert.match(body.error.message, new RegExp(`nothing listens at http://127\\.0\\.0\\.1:${closedPort}/v1`));
});

test('a backend host that does not exist: 400 naming the fix', async () => {
  const { status, body } = await ask('/v1/chat/completions', 'typo/m');
  assert.equal(status, 400, JSON.stringify(body));
  assert.match(body.error.message, /no such host.*baseUrl/);
});

test('keychain backend while the OS keychain is unusable: 400 (not a bare 500) with the keychain fix and the env: alternative', async () => {
  const { status, body } = await ask('/v1/chat/completions', 'vault/m');
  assert.equal(status, 400, JSON.stringify(body));
  assert.match(body.error.message, /OS keychain.*cannot be used.*Fix: .*"apiKey":"env:<NAME>"/s);
});
