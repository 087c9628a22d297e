/** Starts bench/child/fake-upstream-main.ts as a child process and drives it over IPC. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StreamPace } from '../fake-openai-upstream';

const MAIN = fileURLToPath(new URL('./fake-upstream-main.ts', import.meta.url));

export interface FakeUpstreamProcess {
  readonly url: string;
  readonly pid: number;
  setPace(pace: StreamPace): Promise<void>;
  lastBodies(): Promise<{ stream?: string; nonStream?: string }>;
  close(): Promise<void>;
}

export async function startFakeUpstreamProcess(cwd: string): Promise<FakeUpstreamProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fake upstream process not ready after 30 s')), 30_000);
    child.on('message', (m: { type?: string; url?: string }) => {
      if (m.type === 'ready' && m.url) {
        clearTimeout(timer);
        resolve(m.url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fake upstream process exited (code ${code}) before it was ready`));
    });
  });

  let nextId = 1;
  const call = <T>(type: string, extra: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error('fake upstream process has exited'));
      const id = nextId++;
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`fake upstream did not answer "${type}"`));
      }, 10_000);
      const onMessage = (m: { id?: number }) => {
        if (m.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m as T);
      };
      child.on('message', onMessage);
      child.send({ id, type, ...extra });
    });

  return {
    url,
    pid: child.pid!,
    setPace: async (pace) => {
      await call('pace', { pace });
    },
    lastBodies: async () => (await call<{ bodies: { stream?: string; nonStream?: string } }>('lastBodies')).bodies,
    close: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        await call('close');
      } catch {
        child.kill('SIGKILL');
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
