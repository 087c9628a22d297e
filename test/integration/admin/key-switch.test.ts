/**
 * A key set through the API on a preset backend (`env:NAME`) is not ignored: the backend is
 * switched to the keychain (saved to the config file), the answer says so, and both admin views
 * (`GET /api/state`, `GET /api/backends`) and `GET .../key` agree afterwards. Real socket, real
 * Secret Service (unique test service), wired as the engine wires it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerBackendRoutes } from '../../../app/admin/backend-routes';
import { registerKeyRoutes } from '../../../app/admin/key-routes';
import { presetConfig } from '../../../app/config/presets';
import { ConfigStore } from '../../../app/config/store';
import { registerAdminRoutes } from '../../../app/proxy/routes/admin';
import { BackendRegistry } from '../../../app/routing/backend-registry';
import { KeychainVault } from '../../../app/vault/keychain-vault';
import { createKeytarStore } from '../../../app/vault/secret-store';
import { fakeKey, realKeychainProblem, removeTestService, uniqueTestService } from '../../unit/vault/helpers/test-keychain';

const service = uniqueTestService();
let problem: string | undefined;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pb-key-switch-'));
  problem = await realKeychainProblem(service);
  if (problem) console.log(`# skipping key-switch tests: ${problem}`);
});

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!problem) await removeTestService(service);
});

interface Rig {
  app: FastifyInstance;
  store: ConfigStore;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; raw: string }>;
}

/** Key, backend and state routes over one store/registry/vault, as app/runtime/engine.ts wires them. */
async function startRig(env: NodeJS.ProcessEnv): Promise<Rig> {
  const store = await ConfigStore.open(join(dir, `config-${Math.random().toString(36).slice(2)}.json`), () => presetConfig({}));
  const registry = BackendRegistry.fromConfig(store.config);
  store.onChange((c) => registry.replace(c.backends, registry.active.id));
  const vault = new KeychainVault({ store: createKeytarStore({ service }), env });
  const app = Fastify();
  registerAdminRoutes(app, registry, vault);
  registerKeyRoutes(app, { vault, hasBackend: (id) => registry.get(id) !== undefined, store });
  registerBackendRoutes(app, {
    store,
    keyStatus: async (b) => {
      if (b.apiKey === 'keychain') return vault.keyStatus(b.id);
      return { set: (await vault.getKey(b.id, b.apiKey)) !== undefined };
    },
    diagnose: async (id) => ({ backend: id, ok: true, verdict: 'ok', message: 'fine', latencyMs: 1 }),
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
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

type StateView = { backends: Array<{ id: string; keySource: string; hasKey: boolean }> };
type BackendsView = { backends: Array<{ id: string; apiKey: string; key: { set: boolean; last4?: string } }> };

test('PUT key on an env: preset switches it to the keychain, saved, said in the answer; all views agree', async (t) => {
  if (problem) return t.skip(problem);
  const rig = await startRig({});
  try {
    const key = fakeKey('sk-moonshot');
    const before = (await rig.call('GET', '/api/state')).body as unknown as StateView;
    const preset = before.backends.find((b) => b.id === 'moonshot')!;
    assert.deepEqual([preset.keySource, preset.hasKey], ['env', false]);

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

    const state = (await rig.call('GET', '/api/state')).body as unknown as StateView;
    const backends = (await rig.call('GET', '/api/backends')).body as unknown as BackendsView;
    const inState = state.backends.find((b) => b.id === 'moonshot')!;
    const inList = backends.backends.find((b) => b.id === 'moonshot')!;
    assert.deepEqual([inState.keySource, inState.hasKey], ['keychain', true]);
    assert.deepEqual([inList.apiKey, inList.key.set, inList.key.last4], ['keychain', true, key.slice(-4)]);
    assert.deepEqual((await rig.call('GET', '/api/backends/moonshot/key')).body, { set: true, last4: key.slice(-4) });

    const again = await rig.call('PUT', '/api/backends/moonshot/key', { key: fakeKey('sk-moonshot') });
    assert.equal(again.body.source, 'keychain');
    assert.equal(again.body.switchedFrom, undefined, 'a keychain backend is not switched again');
  } finally {
    await rig.app.close();
  }
});

test('GET key of an env: backend reports the variable it reads, in agreement with /api/state', async (t) => {
  if (problem) return t.skip(problem);
  const rig = await startRig({ NVIDIA_API_KEY: 'nvapi-0123456789abcdefWXYZ' });
  try {
    const status = await rig.call('GET', '/api/backends/nim/key');
    assert.deepEqual(status.body, { set: true, last4: 'WXYZ', source: 'env:NVIDIA_API_KEY' });
    const state = (await rig.call('GET', '/api/state')).body as unknown as StateView;
    assert.equal(state.backends.find((b) => b.id === 'nim')?.hasKey, true);
  } finally {
    await rig.app.close();
  }
});
