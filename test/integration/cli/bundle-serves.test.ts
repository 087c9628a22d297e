/**
 * The built bundle (scripts/build.mjs: esbuild) is what `npx patchbay serve` runs after `npm
 * install`, while the rest of the suite runs the sources. Built here from the current sources
 * into a private file, run as a real process, and driven through both upstream paths: the
 * proxy's keep-alive agents (translated and pass-through, plain and streamed) and the admin
 * API's backend test (agents of its own).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildBundle } from '../../../scripts/build.mjs';
import { startFakeNim } from '../../fakes/fake-nim';
import { listeningUrl } from '../../helpers/listening-url';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const BUNDLE = `dist/test-${process.pid}/patchbay.cjs`;
const CLIENT = 'bundle-test-client-token-0123456789';
const ADMIN = 'bundle-test-admin-token-0123456789';

const nim = await startFakeNim({ key: 'nvapi-bundle-test-key-000111' });
const dir = makeTempDir('bundle');
let proxy: ChildProcess | undefined;
let url = '';

before(async () => {
  await buildBundle(BUNDLE);
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ clientToken: CLIENT, adminToken: ADMIN, active: 'nim', backends: [{ id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:NIM_KEY', model: 'moonshotai/kimi-k2.6' }] }));
  proxy = spawn(process.execPath, [BUNDLE, 'serve', '--config', config, '--port', '0', '--data-dir', join(dir, 'data')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NIM_KEY: nim.key, ...(process.env.DBUS_SESSION_BUS_ADDRESS ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } : {}), PATCHBAY_KEYCHAIN_SERVICE: 'patchbay-test-bundle' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  ({ url } = await listeningUrl(proxy, 'the bundle', 30_000));
});

after(async () => {
  if (proxy && proxy.exitCode === null) {
    const gone = new Promise((r) => proxy!.once('exit', r));
    proxy.kill('SIGTERM');
    await gone;
  }
  await nim.close();
  rmSync(resolve(ROOT, BUNDLE, '..'), { recursive: true, force: true });
  removeTempDirs(dir);
});

async function post(path: string, body: unknown, token = CLIENT): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

test('translated: an Anthropic request to the OpenAI backend, whole and streamed', async () => {
  const whole = await post('/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(whole.status, 200, whole.text);
  assert.equal((JSON.parse(whole.text) as { content: Array<{ text: string }> }).content[0]?.text, 'ok');
  const streamed = await post('/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(streamed.status, 200, streamed.text);
  assert.match(streamed.text, /event: message_stop/);
});

test('pass-through: an OpenAI request to the OpenAI backend, whole and streamed', async () => {
  const whole = await post('/v1/chat/completions', { model: 'moonshotai/kimi-k2.6', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(whole.status, 200, whole.text);
  assert.equal((JSON.parse(whole.text) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content, 'ok');
  const streamed = await post('/v1/chat/completions', { model: 'moonshotai/kimi-k2.6', stream: true, messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(streamed.status, 200, streamed.text);
  assert.match(streamed.text, /data: \[DONE\]/);
});

test("the admin API's backend test (its own connections) reaches the upstream", async () => {
  const res = await post('/api/backends/nim/test', {}, ADMIN);
  assert.equal(res.status, 200, res.text);
  assert.equal((JSON.parse(res.text) as { verdict: string }).verdict, 'ok', res.text);
  assert.ok(nim.requests.length >= 5, `the fake NIM saw ${nim.requests.length} requests`);
});
