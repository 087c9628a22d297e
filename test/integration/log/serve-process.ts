/**
 * `node bin/patchbay.js serve` as a real child process on a given data dir, with its pid kept so a
 * test can SIGKILL it (test/helpers/proxy.ts only stops with SIGTERM and owns its data dir).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

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
  let output = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`patchbay serve did not listen within 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString('utf8');
      const m = /Patchbay listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`patchbay serve exited (${code ?? signal}) before listening:\n${output}`));
    });
  }).catch((err: unknown) => {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw err;
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    child,
    output: () => output,
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
