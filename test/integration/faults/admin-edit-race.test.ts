// Fault: admin edits race. Many edits issued at once (merge-edits of different fields, adds,
// removes, active switches, a failover order), through the in-process admin API and over HTTP,
// must all land: every accepted edit is in the final state, none is refused because another
// moved the backends around, and the saved config file equals the state once the calls returned.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdminApi } from '../../../app/api/contract';
import { startEngine, type Engine } from '../../../app/runtime/engine';
import { httpAdminClient } from '../../contract/http-admin-client';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

const dirs: string[] = [];
const engines: Engine[] = [];
after(async () => {
  await Promise.all(engines.map((e) => e.close()));
  removeTempDirs(...dirs);
});

const backend = (id: string) => ({ id, format: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'none', model: `model-${id}` });
/** Removed ones first: an edit that remembered an index would land on the wrong backend. */
const REMOVED = ['r0', 'r1', 'r2', 'r3', 'r4'];
const KEPT = Array.from({ length: 17 }, (_, i) => `k${i}`);
const ADDED = Array.from({ length: 10 }, (_, i) => `n${i}`);
const FIELDS = ['name', 'contextWindow', 'maxOutputTokens'] as const;

async function engineWith(label: string): Promise<{ engine: Engine; configPath: string; adminToken: string; url: string }> {
  const dir = makeTempDir(`race-${label}`);
  dirs.push(dir);
  const configPath = join(dir, 'config.json');
  const adminToken = `pb-admin-${randomBytes(16).toString('hex')}`;
  writeFileSync(
    configPath,
    JSON.stringify({ clientToken: `pb-client-${randomBytes(16).toString('hex')}`, adminToken, active: 'k0', backends: [...REMOVED, ...KEPT].map(backend) }),
  );
  const engine = await startEngine({ configPath, dataDir: join(dir, 'data'), keychainService: `patchbay-test-${randomBytes(4).toString('hex')}` });
  engines.push(engine);
  return { engine, configPath, adminToken, url: await engine.listen('127.0.0.1', 0) };
}

/** 51 merge-edits, each a different (backend, field) pair with its own value. */
function edits(): Array<{ id: string; field: (typeof FIELDS)[number]; value: string | number }> {
  const out = [];
  for (let i = 0; i < 51; i++) {
    const id = KEPT[i % KEPT.length]!;
    const field = FIELDS[Math.floor(i / KEPT.length)]!;
    out.push({ id, field, value: field === 'name' ? `name-${i}` : 1000 + i });
  }
  return out;
}

async function race(api: Pick<AdminApi, 'editBackend' | 'addBackend' | 'removeBackend' | 'setActive' | 'setFailover'>) {
  const planned = edits();
  const calls: Array<Promise<unknown>> = [];
  // Interleaved: removes and adds between the edits, switches and the failover order among them.
  planned.forEach((e, i) => {
    calls.push(api.editBackend({ id: e.id, fields: { [e.field]: e.value } }));
    if (i % 10 === 0 && REMOVED[i / 10] !== undefined) calls.push(api.removeBackend({ id: REMOVED[i / 10]! }));
    if (i % 5 === 2 && ADDED[(i - 2) / 5] !== undefined) calls.push(api.addBackend(backend(ADDED[(i - 2) / 5]!)));
    if (i % 7 === 3) calls.push(api.setActive({ backend: KEPT[(i + 1) % KEPT.length]! }));
  });
  calls.push(api.setFailover({ backends: ['k3', 'k2', 'k1'] }));
  calls.push(api.setActive({ backend: 'k16' }));
  const results = await Promise.allSettled(calls);
  const refused = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
  return { planned, refused };
}

async function checkOutcome(engine: Engine, configPath: string, planned: ReturnType<typeof edits>, refused: string[]) {
  assert.deepEqual(refused, [], 'no edit refused');
  const config = engine.store.config;
  const ids = config.backends.map((b) => b.id);
  for (const id of REMOVED) assert.ok(!ids.includes(id), `${id} removed`);
  for (const id of [...KEPT, ...ADDED]) assert.ok(ids.includes(id), `${id} present`);
  assert.equal(ids.length, KEPT.length + ADDED.length, `no duplicate or stray backend: ${ids.join(',')}`);
  for (const e of planned) {
    const b = config.backends.find((x) => x.id === e.id) as Record<string, unknown>;
    assert.equal(b[e.field], e.value, `${e.id}.${e.field} kept its edit`);
    assert.equal(b.model, `model-${e.id}`, `${e.id} kept its own model (no edit landed on another backend)`);
  }
  assert.deepEqual(config.failover, ['k3', 'k2', 'k1']);
  assert.equal(engine.registry.active.id, 'k16', 'the last switch is in force');
  assert.equal(config.active, 'k16', 'the last switch is in the config');
  assert.deepEqual(JSON.parse(readFileSync(configPath, 'utf8')), config, 'the saved file equals the state');
  const state = await engine.api.getState();
  assert.deepEqual(
    state.backends.map((b) => b.id),
    ids,
    'the API shows the same backends',
  );
}

test('concurrent edits through the in-process admin API: none lost, file equals state', async () => {
  const { engine, configPath } = await engineWith('api');
  const { planned, refused } = await race(engine.api);
  await checkOutcome(engine, configPath, planned, refused);
});

test('concurrent edits over HTTP: none lost, file equals state', async () => {
  const { engine, configPath, adminToken, url } = await engineWith('http');
  const client = httpAdminClient(url, adminToken);
  try {
    const { planned, refused } = await race(client);
    await checkOutcome(engine, configPath, planned, refused);
  } finally {
    client.close();
  }
});

test('the same add twice at once: one 201, one 409; the same remove twice at once: one done, one 404', async () => {
  const { engine, configPath, adminToken, url } = await engineWith('same');
  const client = httpAdminClient(url, adminToken);
  try {
    for (const api of [engine.api, client]) {
      const id = api === engine.api ? 'twin-api' : 'twin-http';
      const adds = await Promise.allSettled([api.addBackend(backend(id)), api.addBackend(backend(id))]);
      assert.deepEqual(adds.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const refusedAdd = adds.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal((refusedAdd.reason as { code: string }).code, 'conflict');
      const removes = await Promise.allSettled([api.removeBackend({ id }), api.removeBackend({ id })]);
      assert.deepEqual(removes.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const refusedRemove = removes.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal((refusedRemove.reason as { code: string }).code, 'not_found');
      assert.ok(!engine.store.config.backends.some((b) => b.id === id));
    }
    assert.deepEqual(JSON.parse(readFileSync(configPath, 'utf8')), engine.store.config);
  } finally {
    client.close();
  }
});
