/**
 * keytar in a child process of its own. libsecret (under keytar on Linux) keeps one connection
 * to the Secret Service per process for the life of the process: once the keychain daemon went
 * away, every later call in that process fails, even after the daemon is back ("The name :1.0
 * was not provided by any .service files", "The session wrapping the secret does not exist").
 * A fresh process connects afresh, so after a failure the keychain is reached through one of
 * these, replaced after each failure (keytar-connection.ts).
 *
 * The child is plain Node (`-e`, no TypeScript, no bundle path to find) speaking JSON lines on
 * stdin/stdout; it exits when its stdin closes, so it never outlives Patchbay.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

type Op = 'getPassword' | 'setPassword' | 'deletePassword';

const WORKER_SOURCE = `
const keytar = require(process.argv[1]);
const lines = require('node:readline').createInterface({ input: process.stdin });
const answer = (message) => process.stdout.write(JSON.stringify(message) + '\\n');
lines.on('line', (line) => {
  let request;
  try { request = JSON.parse(line); } catch { return; }
  const { id, op, args } = request;
  Promise.resolve()
    .then(() => keytar[op](...args))
    .then((value) => answer({ id, ok: true, value: value === undefined ? null : value }),
          (error) => answer({ id, ok: false, error: String((error && error.message) || error) }));
});
lines.on('close', () => process.exit(0));
`;

/** Where keytar is, for the child (resolved from here: the sources' app/vault, or the bundle's dist/). */
function keytarPath(): string {
  return createRequire(join(import.meta.dirname, 'keytar-worker.js')).resolve('keytar');
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class KeytarWorker implements KeytarApi {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited = false;

  constructor() {
    // ELECTRON_RUN_AS_NODE: under Electron, execPath is the app itself; this makes it plain Node.
    this.child = spawn(process.execPath, ['-e', WORKER_SOURCE, keytarPath()], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    // An idle helper never keeps Patchbay running; a call waiting for its answer does (holding()).
    this.child.unref();
    this.holding(false);
    this.child.stdin?.on('error', () => undefined);
    this.child.on('error', (error) => this.fail(error));
    this.child.on('exit', () => this.fail(new Error('the keychain helper process exited')));
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.onLine(line));
  }

  getPassword(service: string, account: string): Promise<string | null> {
    return this.call('getPassword', [service, account]) as Promise<string | null>;
  }

  setPassword(service: string, account: string, password: string): Promise<void> {
    return this.call('setPassword', [service, account, password]).then(() => undefined);
  }

  deletePassword(service: string, account: string): Promise<boolean> {
    return this.call('deletePassword', [service, account]) as Promise<boolean>;
  }

  /** Ends the child; calls still waiting fail. */
  close(): void {
    this.fail(new Error('the keychain helper process was replaced'));
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }

  private call(op: Op, args: string[]): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('the keychain helper process exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.holding(true);
      this.child.stdin!.write(JSON.stringify({ id, op, args }) + '\n');
    });
  }

  /** The pipes keep the event loop alive only while a call waits for its answer. */
  private holding(waiting: boolean): void {
    for (const stream of [this.child.stdin, this.child.stdout] as Array<{ ref?: () => void; unref?: () => void } | null>) {
      if (waiting) stream?.ref?.();
      else stream?.unref?.();
    }
  }

  private onLine(line: string): void {
    let message: { id?: number; ok?: boolean; value?: unknown; error?: string };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      return;
    }
    const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id!);
    if (this.pending.size === 0) this.holding(false);
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(new Error(message.error ?? 'keychain call failed'));
  }

  private fail(error: Error): void {
    this.exited = true;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.holding(false);
  }
}
