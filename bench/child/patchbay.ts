/**
 * Patchbay as the benchmarked proxy: `patchbay serve` in a child process with a one-backend
 * config pointing at the fake upstream (OpenAI format, the NVIDIA NIM path), through
 * bin/patchbay.js: with `bundle` (the bench's own build of the current sources, see
 * scripts/build.mjs) that bundle and its code cache (PATCHBAY_BUNDLE), without one the
 * TypeScript sources (PATCHBAY_FROM_SOURCE=1, tsx).
 *
 * A probe-loaded process runs its own copy of the bundle: `--expose-gc` changes V8's flags, so
 * it rejects the code cache made without the probe and writes its own in its place, and the
 * probe-less process started after it (the idle-memory run) would then start with no usable
 * cache, as no user's does (about 10 MB higher after traffic, once idle).
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
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
  /** The built bundle to run; absent: the TypeScript sources through tsx. */
  bundle?: string;
  /** Preload the bench's memory probe (default true; start-up runs go without). */
  probe?: boolean;
}

export async function startPatchbay(repoRoot: string, upstreamUrl: string, options: PatchbayStartOptions = {}): Promise<RunningPatchbay> {
  const { profileDir, probe = true } = options;
  const bundle = options.bundle && probe ? await probeLoadedCopy(options.bundle) : options.bundle;
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
      env: { ...process.env, BENCH_KEY: UPSTREAM_KEY, NODE_ENV: 'production', ...(bundle ? { PATCHBAY_BUNDLE: bundle } : { PATCHBAY_FROM_SOURCE: '1' }) },
      probe,
      ready: (out) => /Patchbay listening on http:\/\/127\.0\.0\.1:\d+/.test(out),
      readyTimeoutMs: 30_000,
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
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

/** The bundle's copy for probe-loaded processes, beside it: its code cache is its own. */
async function probeLoadedCopy(bundle: string): Promise<string> {
  const copy = join(dirname(bundle), 'probe-loaded', basename(bundle));
  await mkdir(dirname(copy), { recursive: true });
  await copyFile(bundle, copy); // same bytes each time: the cache beside it stays valid
  return copy;
}
