/**
 * A key set through the API on a preset backend (`env:NAME`) is not ignored: the backend is
 * switched to the keychain (saved to the config file), the answer says so, and the one backend
 * view (`GET /api/state`, `GET /api/backends`) and `GET .../key` agree afterwards. Real socket,
 * real Secret Service (unique test service), the admin API over the HTTP host as the engine has it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ConfigStore } from '../../../app/config/store';
import { KeychainVault } from '../../../app/vault/keychain-vault';
import { createKeytarStore } from '../../../app/vault/secret-store';
import { fakeKey, realKeychainProblem, removeTestService, uniqueTestService } from '../../unit/vault/helpers/test-keychain';
import { startAdminHost } from './helpers/admin-host';

const service = uniqueTestService();
let problem: string | undefined;

before(async () => {
  problem = await realKeychainProblem(service);
  if (problem) console.log(`# skipping key-switch tests: ${problem}`);
});

after(async () => {
  if (!problem) await removeTestService(service);
});

interface Rig {
  close(): Promise<void>;
  store: ConfigStore;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; raw: string }>;
}

/** The admin API over one store/registry/vault on the HTTP host, as app/runtime/engine.ts has it. */
async function startRig(env: NodeJS.ProcessEnv): Promise<Rig> {
  const vault = new KeychainVault({ store: createKeytarStore({ service }), env });
  const host = await startAdminHost({
    vault,
    api: { diagnose: async (id) => ({ backend: id, ok: true, verdict: 'ok', message: 'fine', latencyMs: 1 }) },
  });
  const { store, url: base } = host;
  return {
    close: () => host.close(),
    store,
    async call(method, path, body) {
      const res = await fetch(base + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const raw = await res.text();
      return { status: res.status, body: JSON.parse(raw) as Record<string, unknown>, raw };
    },
  };
}

type BackendsView = { backends: Array<{ id: string; apiKey: string; key: { set: boolean; last4?: string; source: string } }> };

test('PUT key on an env: preset switches it to the keychain, saved, said in the answer; all views agree', async (t) => {
  if (problem) return t.skip(problem);
  const rig = await startRig({});
  try {
    const key = fakeKey('sk-moonshot');
    const before = (await rig.call('GET', '/api/state')).body as unknown as BackendsView;
    const preset = before.backends.find((b) => b.id === 'moonshot')!;
    assert.deepEqual([preset.apiKey, preset.key], ['env:MOONSHOT_API_KEY', { set: false, source: 'env:MOONSHOT_API_KEY' }]);

    const put = await rig.call('PUT', '/api/backends/moonshot/key', { key });
    assert.equal(put.status, 200, put.raw);
    assert.equal(put.body.set, true);
    assert.equal(put.body.last4, key.slice(-4));
    assert.equal(put.body.source, 'keychain');
    assert.equal(put.body.switchedFrom, 'env:MOONSHOT_API_KEY');
    assert.match(String(put.body.message), /MOONSHOT_API_KEY.*now reads it from the OS keychain/);
    assert.ok(!put.raw.includes(key), 'the key is never echoed');

    const onDisk = JSON.parse(readFileSync(rig.store.path, 'utf8')) as { backends: Array<{ id: string; apiKey: string }> };
    assert.equal(onDisk.backends.find((b) => b.id === 'moonshot')?.apiKey, 'keychain', 'saved to the config file');
    assert.equal(onDisk.backends.find((b) => b.id === 'nim')?.apiKey, 'env:NVIDIA_API_KEY', 'other backends untouched');

    const state = (await rig.call('GET', '/api/state')).body as unknown as BackendsView;
    const backends = (await rig.call('GET', '/api/backends')).body as unknown as BackendsView;
    const inState = state.backends.find((b) => b.id === 'moonshot')!;
    const inList = backends.backends.find((b) => b.id === 'moonshot')!;
    const expected = { set: true, last4: key.slice(-4), source: 'keychain' };
    assert.deepEqual([inState.apiKey, inState.key], ['keychain', expected]);
    assert.deepEqual([inList.apiKey, inList.key], ['keychain', expected]);
    assert.deepEqual((await rig.call('GET', '/api/backends/moonshot/key')).body, expected);

    const again = await rig.call('PUT', '/api/backends/moonshot/key', { key: fakeKey('sk-moonshot') });
    assert.equal(again.body.source, 'keychain');
    assert.equal(again.body.switchedFrom, undefined, 'a keychain backend is not switched again');
  } finally {
    await rig.close();
  }
});

test('GET key of an env: backend reports the variable it reads, in agreement with /api/state', async (t) => {
  if (problem) return t.skip(problem);
  const rig = await startRig({ NVIDIA_API_KEY: 'nvapi-0123456789abcdefWXYZ' });
  try {
    const status = await rig.call('GET', '/api/backends/nim/key');
    assert.deepEqual(status.body, { set: true, last4: 'WXYZ', source: 'env:NVIDIA_API_KEY' });
    const state = (await rig.call('GET', '/api/state')).body as unknown as BackendsView;
    assert.deepEqual(state.backends.find((b) => b.id === 'nim')?.key, { set: true, last4: 'WXYZ', source: 'env:NVIDIA_API_KEY' });
  } finally {
    await rig.close();
  }
});
