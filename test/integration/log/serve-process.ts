/**
 * `node bin/patchbay.js serve` as a real child process on a given data dir, with its pid kept so a
 * test can SIGKILL it (test/helpers/proxy.ts only stops with SIGTERM and owns its data dir).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { listeningUrl } from '../../helpers/listening-url';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL: no handler runs, nothing is flushed. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (clean stop), SIGKILL after 5 s. */
  stop(): Promise<void>;
}

export async function startServe(opts: { configFile: string; dataDir: string; env: Record<string, string> }): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'patchbay.js'), 'serve', '--config', opts.configFile, '--port', '0', '--data-dir', opts.dataDir], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const { url, output } = await listeningUrl(child, 'patchbay serve', 60_000).catch((err: unknown) => {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw err;
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    child,
    output,
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
