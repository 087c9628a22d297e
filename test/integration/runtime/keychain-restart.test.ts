// Issue 3 proof: a key set through the admin API lives in the real OS keychain (gnome-keyring
// in the test D-Bus session), survives a restart of the real `patchbay serve` process, and its
// bytes appear in no file under the data dir and in nothing the process printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeNim } from '../../fakes/fake-nim';
import { startProxy, type RunningProxy } from '../../helpers/proxy';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
const service = `patchbay-test-${randomBytes(4).toString('hex')}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function cleanKeychain() {
  const keytar = (await import('keytar')).default;
  for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
}

test('a key set through the admin API survives a restart and never touches disk or output', { timeout: 90_000, skip: bus ? false : 'no D-Bus session: run through scripts/run-tests.mjs, which starts gnome-keyring' }, async (t) => {
  const upstreamKey = `nvapi-${randomBytes(24).toString('base64url')}`;
  const nim = await startFakeNim({ key: upstreamKey });
  const dataDir = makeTempDir('keychain-restart');
  const running: RunningProxy[] = [];
  t.after(async () => {
    // Stop the proxies first (a failed assertion must not leave a child process holding the run open).
    await Promise.all(running.map((p) => p.stop()));
    await nim.close();
    removeTempDirs(dataDir);
    await cleanKeychain();
  });
  const config = {
    active: 'nim',
    backends: [{ id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'keychain', model: 'moonshotai/kimi-k2.6', kimi: true }],
  };
  const env = { DBUS_SESSION_BUS_ADDRESS: bus!, PATCHBAY_KEYCHAIN_SERVICE: service };
  const outputs: string[] = [];
  const start = async () => {
    const proxy = await startProxy({ config, env, dataDir });
    running.push(proxy);
    return proxy;
  };

  const tokensOf = (proxy: RunningProxy) => ({
    admin: /Authorization: Bearer (pb-admin-[A-Za-z0-9_-]+)/.exec(proxy.output())?.[1],
    client: /ANTHROPIC_AUTH_TOKEN='(pb-client-[A-Za-z0-9_-]+)'/.exec(proxy.output())?.[1],
  });
  const chat = (proxy: RunningProxy, clientToken: string) =>
    fetch(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${clientToken}` },
      body: JSON.stringify({ model: 'nim/moonshotai/kimi-k2.6', messages: [{ role: 'user', content: 'hi' }] }),
    });

  // First run: no key yet -> the request is refused naming the backend; set the key; it works.
  const first = await start();
  const t1 = tokensOf(first);
  assert.ok(t1.admin && t1.client, `tokens printed:\n${first.output()}`);
  const refused = await chat(first, t1.client);
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /nim/);
  const put = await fetch(`${first.url}/api/backends/nim/key`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t1.admin}` },
    body: JSON.stringify({ key: upstreamKey }),
  });
  const putText = await put.text();
  assert.equal(put.status, 200, putText);
  assert.ok(!putText.includes(upstreamKey));
  assert.equal(JSON.parse(putText).last4, upstreamKey.slice(-4));
  const ok1 = await chat(first, t1.client);
  assert.equal(ok1.status, 200, await ok1.clone().text());
  outputs.push(await ok1.text());
  await first.stop();
  outputs.push(first.output());

  // Second run on the same data dir: same tokens (from the keychain), the key still works.
  const second = await start();
  const t2 = tokensOf(second);
  assert.equal(t2.client, t1.client, 'client token persisted across restart');
  assert.equal(t2.admin, t1.admin, 'admin token persisted across restart');
  const ok2 = await chat(second, t2.client!);
  assert.equal(ok2.status, 200, await ok2.clone().text());
  outputs.push(await ok2.text());
  const state = await fetch(`${second.url}/api/state`, { headers: { authorization: `Bearer ${t2.admin}` } });
  outputs.push(await state.text());
  await second.stop();
  outputs.push(second.output());

  const authorised = nim.requests.filter((r) => r.rejected === undefined);
  assert.equal(authorised.length, 2, 'both runs reached the upstream with the key');

  const files = filesUnder(dataDir);
  assert.ok(files.some((f) => f.includes('requests-')), `request log written: ${files.join(', ')}`);
  for (const file of files) {
    assert.ok(!readFileSync(file).includes(Buffer.from(upstreamKey)), `key bytes found in ${file}`);
  }
  for (const out of outputs) assert.ok(!out.includes(upstreamKey), 'key found in output');
});
