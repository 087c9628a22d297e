/**
 * Patchbay as the benchmarked proxy: `patchbay serve` in a child process with a one-backend
 * config pointing at the fake upstream (OpenAI format, the NVIDIA NIM path). Started the way
 * users start it, through bin/patchbay.js: the built bundle, or the TypeScript sources (tsx)
 * when `fromSource` (PATCHBAY_FROM_SOURCE=1).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnProxy, type ProxyProcess } from './proxy-process';

export const PATCHBAY_CLIENT_TOKEN = 'bench-client-token-0123456789abcdef';
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const UPSTREAM_KEY = 'bench-upstream-key';

export interface RunningPatchbay {
  process: ProxyProcess;
  origin: string;
  stop(): Promise<void>;
}

export interface PatchbayStartOptions {
  /** Write a V8 CPU profile of the Patchbay process there (on exit). */
  profileDir?: string;
  /** Run the TypeScript sources through tsx instead of the built bundle. */
  fromSource?: boolean;
  /** Preload the bench's memory probe (default true; start-up runs go without). */
  probe?: boolean;
}

export async function startPatchbay(repoRoot: string, upstreamUrl: string, options: PatchbayStartOptions = {}): Promise<RunningPatchbay> {
  const { profileDir, fromSource = false, probe = true } = options;
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-bench-'));
  const configPath = join(dir, 'config.json');
  const config = {
    clientToken: PATCHBAY_CLIENT_TOKEN,
    adminToken: ADMIN_TOKEN,
    active: 'fake',
    backends: [{ id: 'fake', format: 'openai', baseUrl: `${upstreamUrl}/v1`, apiKey: 'env:BENCH_KEY', model: 'fake-model' }],
  };
  await writeFile(configPath, JSON.stringify(config, null, 2));
  let proc: ProxyProcess;
  try {
    proc = await spawnProxy({
      name: 'patchbay',
      cwd: repoRoot,
      nodeArgs: [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), resolve(repoRoot, 'bin/patchbay.js'), 'serve', '--config', configPath, '--port', '0', '--data-dir', join(dir, 'data')],
      env: { ...process.env, BENCH_KEY: UPSTREAM_KEY, NODE_ENV: 'production', PATCHBAY_FROM_SOURCE: fromSource ? '1' : '0' },
      probe,
      ready: (out) => /Patchbay listening on http:\/\/127\.0\.0\.1:\d+/.test(out),
      readyTimeoutMs: 30_000,
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const fellBack = /patchbay: (.*); running the TypeScript sources through tsx/.exec(proc.output());
  if (!fromSource && fellBack) {
    await proc.stop();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`bin/patchbay.js did not run the bundle: ${fellBack[1]} (sources edited during the run?)`);
  }
  const origin = /Patchbay listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.output())![1]!;
  return {
    process: proc,
    origin,
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
