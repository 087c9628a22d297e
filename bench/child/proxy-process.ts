/**
 * A proxy under benchmark, run as a child Node process with the memory probe preloaded:
 * spawn, wait until it is ready, sample its memory (IPC probe for the heap, /proc for RSS and
 * its high-water mark), stop it (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const MEMORY_PROBE = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url));

export interface MemorySample {
  /** From the process itself (bytes). */
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** V8's heap spaces (committed size and used bytes), when the probe answered. */
  spaces?: Record<string, { size: number; used: number }>;
  /** From /proc/<pid>/status (bytes); undefined where /proc is not available. */
  vmRss?: number;
  vmHwm?: number;
}

export interface ProxyProcess {
  readonly name: string;
  readonly pid: number;
  /** Combined stdout+stderr so far (for error reports). */
  output(): string;
  memory(options?: { gc?: boolean }): Promise<MemorySample>;
  /** CPU time (user + system) the process has used so far, ms; undefined without /proc. */
  cpuMs(): Promise<number | undefined>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  /** Node arguments after the probe preload (e.g. `['--import', 'tsx', 'app/cli/main.ts', ...]`). */
  nodeArgs: string[];
  /**
   * Preload the memory probe (default true). Start-up runs leave it out, so they time and weigh
   * the program alone; memory() then reports /proc figures only (heap fields are NaN).
   */
  probe?: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Resolves once the process is ready; receives its output so far each time it grows. */
  ready: (output: string) => boolean;
  readyTimeoutMs: number;
}

async function procStatus(pid: number): Promise<{ vmRss?: number; vmHwm?: number }> {
  try {
    const text = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
      return m ? Number(m[1]) * 1024 : undefined;
    };
    const vmRss = kb('VmRSS');
    const vmHwm = kb('VmHWM');
    return { ...(vmRss !== undefined ? { vmRss } : {}), ...(vmHwm !== undefined ? { vmHwm } : {}) };
  } catch {
    return {};
  }
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s). */
async function procCpuMs(pid: number): Promise<number | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing paren.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * 10 : undefined;
  } catch {
    return undefined;
  }
}

function askMemory(child: ChildProcess, gc: boolean, timeoutMs: number): Promise<Omit<MemorySample, 'vmRss' | 'vmHwm'>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error('memory probe did not answer'));
    }, timeoutMs);
    const onMessage = (message: unknown) => {
      const m = message as { type?: string } & MemorySample;
      if (m?.type !== 'memory') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, ...(m.spaces ? { spaces: m.spaces } : {}) });
    };
    child.on('message', onMessage);
    child.send(gc ? 'gc' : 'memory');
  });
}

export async function spawnProxy(options: SpawnOptions): Promise<ProxyProcess> {
  const probe = options.probe ?? true;
  const child = spawn(process.execPath, [...(probe ? ['--expose-gc', '--import', MEMORY_PROBE] : []), ...options.nodeArgs], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe', ...(probe ? (['ipc'] as const) : [])],
  });
  let output = '';
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `exited (code ${code}, signal ${signal})`;
  });

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${options.name} not ready after ${options.readyTimeoutMs} ms`)), options.readyTimeoutMs);
    let settled = false;
    function done(err?: Error) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(new Error(`${err.message}; output:\n${output.slice(-2000)}`));
      else resolve();
    }
    const onData = (data: Buffer) => {
      output += data.toString('utf8');
      if (options.ready(output)) done();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => done(new Error(`${options.name} ${exited ?? 'exited'} before it was ready`)));
    child.once('error', (err) => done(err));
  });

  return {
    name: options.name,
    pid: child.pid!,
    output: () => output,
    async memory({ gc = false } = {}) {
      if (exited) throw new Error(`${options.name} ${exited}`);
      const own = probe ? await askMemory(child, gc, 5000) : { rss: Number.NaN, heapUsed: Number.NaN, heapTotal: Number.NaN, external: Number.NaN };
      return { ...own, ...(await procStatus(child.pid!)) };
    },
    cpuMs: () => procCpuMs(child.pid!),
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
