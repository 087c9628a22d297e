/**
 * Spawns the real proxy (`node --import tsx app/cli/main.ts serve --port 0`) as a child process
 * with a config file and keys in env vars, and waits for its "Patchbay listening on" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listeningUrl } from './listening-url';
import { makeTempDir, removeTempDirs } from './temp-dirs';

const ROOT = join(import.meta.dirname, '..', '..');

export interface RunningProxy {
  /** Root URL, e.g. http://127.0.0.1:P (Anthropic clients); OpenAI clients use `${url}/v1`. */
  url: string;
  /** Everything the proxy printed so far (stdout + stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; removes the temp config/data dirs. */
  stop(): Promise<void>;
}

export interface ProxyOptions {
  /** The config object (written to a temp file). Keys must be `env:NAME` refs. */
  config: unknown;
  /** Env vars for the proxy (the keys named by the config). PATH and a temp HOME are added. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
  /** Keep state here across restarts (not removed by stop()). Default: a temp dir removed by stop(). */
  dataDir?: string;
}

export async function startProxy(opts: ProxyOptions): Promise<RunningProxy> {
  const dir = makeTempDir('proxy');
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(opts.config, null, 2));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'app/cli/main.ts', 'serve', '--config', configFile, '--port', '0', '--data-dir', opts.dataDir ?? join(dir, 'data')],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { url, output } = await listeningUrl(child, 'proxy', opts.startTimeoutMs ?? 30_000).catch((err: unknown) => {
    if (child.exitCode === null) child.kill('SIGKILL');
    removeTempDirs(dir);
    throw err;
  });
  return {
    url,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      removeTempDirs(dir);
    },
  };
}
