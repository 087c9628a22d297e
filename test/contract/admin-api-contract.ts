/**
 * The admin API contract tests, runnable against any host: `runAdminApiContract(name, makeClient)`
 * starts a real engine per test (presets, a temp data dir, a unique test keychain service) and
 * asks `makeClient(engine)` for an AdminApi talking to it: the in-process API, the HTTP + SSE
 * host on a real socket, the Electron IPC host. Every result is checked against the contract's
 * schema and every refusal against the one error shape `{ code, message, field? }`.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { COMMANDS, EVENTS, type AdminApi, type AdminEvent, type CommandName, type ErrorCode } from '../../app/api/contract';
import { startEngine, type Engine } from '../../app/runtime/engine';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dirs';
import { realKeychainProblem, removeTestService, uniqueTestService } from '../unit/vault/helpers/test-keychain';

export interface ContractClient {
  api: AdminApi;
  close(): Promise<void>;
}

/** A client of `engine`'s admin API through the host under test. */
export type MakeClient = (engine: Engine) => Promise<ContractClient>;

/** The NIM preset's key comes from this variable in every contract engine. */
const NIM_KEY = 'nvapi-contract-test-key-0000ABCD';

interface Rig {
  engine: Engine;
  api: AdminApi;
  home: string;
}

/** What a refused command must carry, whatever the host. */
export interface ThrownApiError {
  code: ErrorCode;
  message: string;
  field?: string;
}

/** The engine's loopback URL (hosts that serve HTTP have it listening already). */
async function proxyUrl(engine: Engine): Promise<string> {
  const address = engine.app.server.address();
  if (address && typeof address === 'object') return `http://127.0.0.1:${address.port}`;
  return engine.listen('127.0.0.1', 0);
}

async function refusal(promise: Promise<unknown>, code: ErrorCode, field?: string): Promise<ThrownApiError> {
  try {
    await promise;
  } catch (err) {
    const e = err as ThrownApiError;
    assert.equal(e.code, code, `refused with ${String(e.code)}: ${e.message}`);
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0);
    if (field !== undefined) assert.equal(e.field, field);
    return e;
  }
  assert.fail(`expected a ${code} refusal`);
}

function valid<C extends CommandName>(command: C, result: unknown): z.infer<(typeof COMMANDS)[C]['result']> {
  const parsed = COMMANDS[command].result.safeParse(result);
  assert.ok(parsed.success, `${command} result does not match the contract: ${parsed.success ? '' : parsed.error.message}`);
  return parsed.data as z.infer<(typeof COMMANDS)[C]['result']>;
}

/** Collects events (each checked against its schema) until `stop`. */
function collect(api: AdminApi) {
  const events: AdminEvent[] = [];
  const stop = api.subscribe((event) => {
    const parsed = EVENTS[event.type].safeParse(event.data);
    assert.ok(parsed.success, `${event.type} event does not match the contract`);
    events.push(event);
  });
  const waitFor = async (what: string, predicate: (e: AdminEvent) => boolean, timeoutMs = 5000): Promise<AdminEvent> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = events.find(predicate);
      if (hit) return hit;
      if (Date.now() > deadline) assert.fail(`no ${what} event within ${timeoutMs} ms (saw ${events.map((e) => e.type).join(', ')})`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { events, stop, waitFor };
}

export function runAdminApiContract(name: string, makeClient: MakeClient): void {
  const service = uniqueTestService();
  const dirs: string[] = [];
  let keychainProblem: string | undefined;
  let probed = false;

  after(async () => {
    if (probed && !keychainProblem) await removeTestService(service);
    removeTempDirs(...dirs);
  });

  /** A fresh engine and a client through the host under test; closed after `fn`. */
  async function withRig(fn: (rig: Rig) => Promise<void>): Promise<void> {
    if (!probed) {
      keychainProblem = await realKeychainProblem(service);
      probed = true;
      if (keychainProblem) console.log(`# ${name}: key commands checked against an unreachable keychain: ${keychainProblem}`);
    }
    const dir = makeTempDir('api-contract');
    dirs.push(dir);
    const home = join(dir, 'home');
    mkdirSync(home);
    const engine = await startEngine({ dataDir: join(dir, 'data'), env: { NVIDIA_API_KEY: NIM_KEY }, keychainService: service });
    const client = await makeClient(engine);
    const savedHome = process.env.HOME;
    process.env.HOME = home; // agents' files go here, never to the real HOME
    try {
      await fn({ engine, api: client.api, home });
    } finally {
      process.env.HOME = savedHome;
      await client.close();
      await engine.close();
    }
  }

  test(`${name}: getState shows the active backend, one view per backend with key status and no key, failover, stats, log health`, () =>
    withRig(async ({ api, engine }) => {
      const state = valid('getState', await api.getState());
      assert.equal(state.active, engine.registry.active.id);
      assert.deepEqual(
        state.backends.map((b) => b.id),
        engine.store.config.backends.map((b) => b.id),
      );
      const nim = state.backends.find((b) => b.id === 'nim')!;
      assert.deepEqual(nim.key, { set: true, last4: 'ABCD', source: 'env:NVIDIA_API_KEY' });
      assert.equal(nim.quirksInForce, 'kimi');
      assert.equal(state.backends.find((b) => b.id === 'moonshot')!.key.set, false);
      assert.deepEqual(state.failover, []);
      assert.deepEqual(
        state.stats.backends.map((b) => b.backend).sort(),
        state.backends.map((b) => b.id).sort(),
      );
      assert.equal(state.requestLog.inFlight, 0);
      assert.ok(!JSON.stringify(state).includes(NIM_KEY), 'no key material');
    }));

  test(`${name}: setActive switches (next request goes there), announces stateChanged, refuses unknown ids and bad input`, () =>
    withRig(async ({ api, engine }) => {
      const events = collect(api);
      try {
        await events.waitFor('first stats', (e) => e.type === 'stats');
        const target = engine.registry.active.id === 'nim' ? 'moonshot' : 'nim';
        const state = valid('setActive', await api.setActive({ backend: target }));
        assert.equal(state.active, target);
        assert.equal(engine.registry.active.id, target);
        await events.waitFor('stateChanged', (e) => e.type === 'stateChanged' && e.data.active === target);
        await refusal(api.setActive({ backend: 'ghost' }), 'not_found');
        await refusal(api.setActive({ id: 'nim' } as never), 'invalid_request');
        assert.equal(engine.registry.active.id, target);
      } finally {
        events.stop();
      }
    }));

  test(`${name}: setPaused refuses model calls as overloaded in the client's format until resumed, announces stateChanged`, () =>
    withRig(async ({ api, engine }) => {
      const events = collect(api);
      try {
        await events.waitFor('first stats', (e) => e.type === 'stats');
        assert.equal(valid('getState', await api.getState()).paused, false);
        const url = await proxyUrl(engine);
        const call = () =>
          fetch(`${url}/v1/messages`, {
            method: 'POST',
            headers: { 'x-api-key': engine.clientToken(), 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
            body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
          });
        const paused = valid('setPaused', await api.setPaused({ paused: true }));
        assert.equal(paused.paused, true);
        await events.waitFor('stateChanged paused', (e) => e.type === 'stateChanged' && e.data.paused);
        const refused = await call();
        // Anthropic's "overloaded" (what Claude Code retries with backoff).
        assert.equal(refused.status, 529);
        assert.equal(refused.headers.get('retry-after'), '5');
        const body = (await refused.json()) as { type: string; error: { type: string; message: string } };
        assert.equal(body.type, 'error');
        assert.equal(body.error.type, 'overloaded_error');
        assert.match(body.error.message, /paused/);
        const models = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${engine.clientToken()}` } });
        assert.equal(models.status, 200, 'listing models stays open while paused');
        const resumed = valid('setPaused', await api.setPaused({ paused: false }));
        assert.equal(resumed.paused, false);
        const after = await call();
        assert.notEqual(after.status, 529, 'served again once resumed');
        await after.arrayBuffer();
        await refusal(api.setPaused({ paused: 'yes' } as never), 'invalid_request');
      } finally {
        events.stop();
      }
    }));

  test(`${name}: backends: presets, add (preset or fields), merge-edit, replace, remove, failover; refusals name the field`, () =>
    withRig(async ({ api, engine }) => {
      const { presets } = valid('listPresets', await api.listPresets());
      assert.ok(presets.some((p) => p.id === 'nim'));

      const added = valid('addBackend', await api.addBackend({ preset: 'nim', id: 'nim-2', model: 'moonshotai/kimi-k2.5' }));
      assert.deepEqual([added.id, added.apiKey, added.model, added.rpm], ['nim-2', 'keychain', 'moonshotai/kimi-k2.5', 40]);
      assert.deepEqual(added.key, { set: false, source: 'keychain' });
      assert.ok(engine.store.config.backends.some((b) => b.id === 'nim-2'), 'saved');

      await refusal(api.addBackend({ preset: 'nim', id: 'nim-2' }), 'conflict', 'id');
      await refusal(api.addBackend({ id: 'bad', format: 'soap', baseUrl: 'http://x/v1', model: 'm' }), 'invalid_request', 'format');
      const literal = await refusal(api.addBackend({ id: 'lit', format: 'openai', baseUrl: 'http://x/v1', model: 'm', apiKey: 'sk-literal-key-123456789' }), 'invalid_request', 'apiKey');
      assert.ok(!literal.message.includes('sk-literal-key-123456789'));
      await refusal(api.addBackend({ preset: 'nope', id: 'x' }), 'invalid_request', 'preset');

      const edited = valid('editBackend', await api.editBackend({ id: 'nim-2', fields: { rpm: 20 } }));
      assert.deepEqual([edited.rpm, edited.model], [20, 'moonshotai/kimi-k2.5']);
      const replaced = valid('replaceBackend', await api.replaceBackend({ id: 'nim-2', fields: { format: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'none', model: 'm' } }));
      assert.equal(replaced.rpm, undefined);
      await refusal(api.editBackend({ id: 'nim-2', fields: { id: 'other' } }), 'invalid_request', 'id');
      await refusal(api.editBackend({ id: 'ghost', fields: { rpm: 1 } }), 'not_found');

      assert.deepEqual(valid('setFailover', await api.setFailover({ backends: ['nim-2'] })).failover, ['nim-2']);
      await refusal(api.setFailover({ backends: ['ghost'] }), 'invalid_request');
      assert.deepEqual(valid('getState', await api.getState()).failover, ['nim-2']);

      await refusal(api.removeBackend({ id: engine.registry.active.id }), 'conflict');
      assert.deepEqual(valid('removeBackend', await api.removeBackend({ id: 'nim-2' })), { deleted: 'nim-2' });
      assert.deepEqual(engine.store.config.failover, []);
      await refusal(api.removeBackend({ id: 'nim-2' }), 'not_found');
    }));

  test(`${name}: keys are write-only: set (switching an env: backend to the keychain), status, delete; never echoed`, () =>
    withRig(async ({ api, engine }) => {
      const key = `sk-contract-${'k'.repeat(24)}WXYZ`;
      await refusal(api.setKey({ id: 'ghost', key }), 'not_found');
      await refusal(api.setKey({ id: 'moonshot', key: `${key}\n` }), 'invalid_request', 'key');
      await refusal(api.getKey({ id: 'ghost' }), 'not_found');
      if (keychainProblem) {
        const refused = await refusal(api.setKey({ id: 'moonshot', key }), 'unavailable');
        assert.ok(!refused.message.includes(key));
        return;
      }
      engine.stats.attemptEnded('moonshot', { status: 401 }); // the upstream refused the old key
      const refusedBefore = valid('getState', await api.getState()).stats.backends.find((b) => b.backend === 'moonshot');
      assert.equal(refusedBefore?.keyRejected?.status, 401);
      const set = valid('setKey', await api.setKey({ id: 'moonshot', key }));
      assert.deepEqual([set.set, set.last4, set.source, set.switchedFrom], [true, 'WXYZ', 'keychain', 'env:MOONSHOT_API_KEY']);
      assert.equal(engine.store.config.backends.find((b) => b.id === 'moonshot')?.apiKey, 'keychain', 'switch saved');
      assert.deepEqual(valid('getKey', await api.getKey({ id: 'moonshot' })), { set: true, last4: 'WXYZ', source: 'keychain' });
      const state = valid('getState', await api.getState());
      assert.deepEqual(state.backends.find((b) => b.id === 'moonshot')?.key, { set: true, last4: 'WXYZ', source: 'keychain' });
      assert.equal(state.stats.backends.find((b) => b.backend === 'moonshot')?.keyRejected, null, 'a new key has not been refused');
      assert.ok(!JSON.stringify([set, state]).includes(key), 'never echoed');
      assert.deepEqual(valid('deleteKey', await api.deleteKey({ id: 'moonshot' })), { backend: 'moonshot', set: false });
      assert.deepEqual(valid('getKey', await api.getKey({ id: 'moonshot' })), { set: false, source: 'keychain' });
    }));

  test(`${name}: testBackend diagnoses in plain words; rotateClientToken hands out a new client token`, () =>
    withRig(async ({ api, engine }) => {
      const diagnosis = valid('testBackend', await api.testBackend({ id: 'moonshot' }));
      assert.deepEqual([diagnosis.backend, diagnosis.ok, diagnosis.verdict], ['moonshot', false, 'no_key']);
      assert.match(diagnosis.message, /MOONSHOT_API_KEY/);
      await refusal(api.testBackend({ id: 'ghost' }), 'not_found');

      const before = engine.clientToken();
      const rotated = valid('rotateClientToken', await api.rotateClientToken());
      assert.notEqual(rotated.clientToken, before);
      assert.equal(engine.clientToken(), rotated.clientToken);
    }));

  test(`${name}: the request log lists requests in flight, live events follow them, getRequest reads one`, () =>
    withRig(async ({ api, engine }) => {
      const events = collect(api);
      try {
        await events.waitFor('first stats', (e) => e.type === 'stats');
        const entry = engine.log.startEntry({ inboundFormat: 'anthropic', userAgent: 'claude-cli/2.1.0', path: '/v1/messages' });
        await events.waitFor('requestStarted', (e) => e.type === 'requestStarted' && e.data.id === entry.id && e.data.inFlight === true);

        const listed = valid('listRequests', await api.listRequests({}));
        assert.deepEqual([listed.items[0]?.id, listed.items[0]?.inFlight, listed.items[0]?.agent], [entry.id, true, 'claude-code']);
        const live = valid('getRequest', await api.getRequest({ id: entry.id }));
        assert.equal(live.inFlight, true);

        entry.update({ backend: 'nim', modelUsed: 'moonshotai/kimi-k2.6' });
        await events.waitFor('requestUpdated', (e) => e.type === 'requestUpdated' && e.data.id === entry.id && e.data.backend === 'nim');
        entry.finish({ status: 200, tokens: { input: 3, output: 5 } });
        const finished = await events.waitFor('requestFinished', (e) => e.type === 'requestFinished' && e.data.id === entry.id);
        assert.equal(finished.type === 'requestFinished' && finished.data.inFlight, undefined);

        const after = valid('listRequests', await api.listRequests({ backend: 'nim', status: '2xx', limit: 10 }));
        assert.deepEqual([after.items[0]?.id, after.items[0]?.inFlight, after.items[0]?.status], [entry.id, undefined, 200]);
        assert.equal(valid('getRequest', await api.getRequest({ id: entry.id })).tokens.output, 5);
        await refusal(api.getRequest({ id: 'req_nope' }), 'not_found');
        await refusal(api.listRequests({ status: 'weird' }), 'invalid_request', 'status');
        await refusal(api.listRequests({ cursor: 'not-a-cursor' }), 'invalid_request', 'cursor');
      } finally {
        events.stop();
      }
    }));

  test(`${name}: stats events follow the live numbers`, () =>
    withRig(async ({ api, engine }) => {
      const events = collect(api);
      try {
        await events.waitFor('first stats', (e) => e.type === 'stats');
        engine.stats.attemptStarted('nim');
        await events.waitFor('stats with one in flight', (e) => e.type === 'stats' && e.data.backends.some((b) => b.backend === 'nim' && b.inFlight === 1));
      } finally {
        events.stop();
      }
    }));

  test(`${name}: agents: list, Claude Code env, preview / write / restore under HOME; unknown agents refused`, () =>
    withRig(async ({ api, engine, home }) => {
      const { agents } = valid('listAgents', await api.listAgents());
      assert.ok(agents.some((a) => a.id === 'claude-code'));
      const env = valid('getClaudeCodeEnv', await api.getClaudeCodeEnv());
      assert.match(env.text, /export ANTHROPIC_BASE_URL='http:\/\/[^']+'/);
      assert.ok(env.text.includes(engine.clientToken()), 'carries the client token');

      const settings = join(home, '.claude', 'settings.json');
      mkdirSync(join(home, '.claude'));
      writeFileSync(settings, '{ "permissions": {} }\n');
      const preview = valid('previewAgent', await api.previewAgent({ id: 'claude-code' }));
      assert.equal(preview.files[0]?.changed, true);
      assert.equal(readFileSync(settings, 'utf8'), '{ "permissions": {} }\n', 'preview writes nothing');
      const written = valid('writeAgent', await api.writeAgent({ id: 'claude-code' }));
      assert.equal(written.files[0]?.path, settings);
      assert.match(readFileSync(settings, 'utf8'), /ANTHROPIC_BASE_URL/);
      writeFileSync(settings, readFileSync(settings, 'utf8').replace('"permissions"', '"permissions" '));
      await refusal(api.restoreAgent({ id: 'claude-code' }), 'conflict', 'force');
      valid('restoreAgent', await api.restoreAgent({ id: 'claude-code', force: true }));
      assert.equal(readFileSync(settings, 'utf8'), '{ "permissions": {} }\n', 'restored byte for byte');

      await refusal(api.previewAgent({ id: 'vim' }), 'not_found');
      await refusal(api.restoreAgent({ id: 'goose' }), 'not_found');
    }));
}
