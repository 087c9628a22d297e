/**
 * The real engine in-process on a loopback port, its backends the fake NIM and (optionally) the
 * fake Moonshot, NIM active: the rig of the tests that drive the built UI against the engine.
 */
import { join } from 'node:path';
import { startEngine, type Engine } from '../../app/runtime/engine';
import { startFakeMoonshot } from '../fakes/fake-moonshot';
import { startFakeNim } from '../fakes/fake-nim';
import type { FakeUpstream } from '../fakes/scenario';
import { randomAdminToken, randomClientToken, testKeychainService, writeEngineConfig } from './engine-config';

export interface EngineOnFakeUpstreams {
  engine: Engine;
  url: string;
  nim: FakeUpstream;
  /** Started in any case (idle unless the Moonshot backend was asked for). */
  moonshot: FakeUpstream;
  /** One request as Claude Code sends it, with the client token; resolves to the status. */
  ask(): Promise<number>;
  close(): Promise<void>;
}

export interface EngineOnFakeUpstreamsOptions {
  /** Config and data dir (`<dir>/data`) go here; the caller owns and removes it. */
  dir: string;
  /** Add the Moonshot backend (anthropic format) after NIM. */
  withMoonshot?: boolean;
  /** NIM's configured rpm, if any. */
  nimRpm?: number;
  /** Serve the built UI from here. */
  uiDir?: string;
}

export async function startEngineOnFakeUpstreams(opts: EngineOnFakeUpstreamsOptions): Promise<EngineOnFakeUpstreams> {
  const nim = await startFakeNim();
  const moonshot = await startFakeMoonshot();
  try {
    return await startOn(opts, nim, moonshot);
  } catch (err) {
    await nim.close();
    await moonshot.close();
    throw err;
  }
}

async function startOn(opts: EngineOnFakeUpstreamsOptions, nim: FakeUpstream, moonshot: FakeUpstream): Promise<EngineOnFakeUpstreams> {
  const configPath = writeEngineConfig(opts.dir, {
    clientToken: randomClientToken(),
    adminToken: randomAdminToken(),
    active: 'nim',
    backends: [
      { id: 'nim', name: 'NIM', format: 'openai', baseUrl: nim.url, apiKey: 'env:NIM_KEY', model: 'moonshotai/kimi-k2.6', ...(opts.nimRpm === undefined ? {} : { rpm: opts.nimRpm }) },
      ...(opts.withMoonshot ? [{ id: 'moonshot', name: 'Moonshot', format: 'anthropic', baseUrl: moonshot.url, apiKey: 'env:MOONSHOT_KEY', model: 'kimi-k2.6' }] : []),
    ],
  });
  const engine = await startEngine({
    configPath,
    dataDir: join(opts.dir, 'data'),
    env: { NIM_KEY: nim.key, ...(opts.withMoonshot ? { MOONSHOT_KEY: moonshot.key } : {}) },
    keychainService: testKeychainService(),
    ...(opts.uiDir === undefined ? {} : { uiDir: opts.uiDir }),
  });
  const url = await engine.listen('127.0.0.1', 0);
  return {
    engine,
    url,
    nim,
    moonshot,
    ask: () =>
      fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': engine.clientToken(), 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }),
      }).then((r) => r.status),
    async close() {
      await engine.close();
      await nim.close();
      await moonshot.close();
    },
  };
}
