/**
 * The way to keytar, able to come back after the keychain daemon went away. Calls run
 * in-process (keytar loaded lazily) until one fails; from then on they run in a keytar child
 * process (keytar-worker.ts), replaced after every failure, because the failed in-process
 * connection never recovers. So once the daemon is back, the next call reaches it, without a
 * restart of Patchbay. After a failure, calls within `retryPauseMs` fail at once with the same
 * error instead of starting a process each (a dead keychain is asked at most once a second).
 */
import { KeytarWorker, type KeytarApi } from './keytar-worker';

export const DEFAULT_RETRY_PAUSE_MS = 1000;

let keytarLoad: Promise<KeytarApi> | undefined;

export function loadKeytar(): Promise<KeytarApi> {
  keytarLoad ??= import('keytar').then((mod) => {
    const api = ('default' in mod && mod.default ? mod.default : mod) as KeytarApi;
    if (typeof api.getPassword !== 'function') throw new Error('keytar loaded without getPassword');
    return api;
  });
  return keytarLoad;
}

export interface KeytarConnectionOptions {
  retryPauseMs?: number;
  now?: () => number;
  /** The in-process binding (tests pass a failing one). */
  inProcess?: () => Promise<KeytarApi>;
  /** A fresh out-of-process binding. */
  newWorker?: () => KeytarApi & { close(): void };
}

export class KeytarConnection {
  private worker: (KeytarApi & { close(): void }) | undefined;
  private isolated = false;
  private lastFailure: { at: number; error: unknown } | undefined;
  private readonly retryPauseMs: number;
  private readonly now: () => number;
  private readonly inProcess: () => Promise<KeytarApi>;
  private readonly newWorker: () => KeytarApi & { close(): void };

  constructor(options: KeytarConnectionOptions = {}) {
    this.retryPauseMs = options.retryPauseMs ?? DEFAULT_RETRY_PAUSE_MS;
    this.now = options.now ?? Date.now;
    this.inProcess = options.inProcess ?? loadKeytar;
    this.newWorker = options.newWorker ?? (() => new KeytarWorker());
  }

  /** True once calls go through a child process (the in-process connection failed). */
  get usesWorker(): boolean {
    return this.isolated;
  }

  /**
   * Runs one keytar call, failing with `timeoutError()` when it does not answer within
   * `timeoutMs`. A failure or a timeout drops the connection the call used: the next call gets
   * a fresh one (after the retry pause).
   */
  async run<T>(work: (api: KeytarApi) => Promise<T>, timeoutMs: number, timeoutError: () => Error): Promise<T> {
    const api = await this.api();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeoutError()), timeoutMs);
    });
    try {
      return await Promise.race([work(api), timeout]);
    } catch (error) {
      this.failed(api, error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private failed(api: KeytarApi, error: unknown): void {
    this.isolated = true;
    // A late failure of an older connection must not close the one that replaced it.
    if (this.worker !== undefined && this.worker === api) {
      this.worker.close();
      this.worker = undefined;
    }
    this.lastFailure = { at: this.now(), error };
  }

  private async api(): Promise<KeytarApi> {
    if (!this.isolated) return this.inProcess();
    const recent = this.lastFailure;
    if (recent && this.now() - recent.at < this.retryPauseMs) throw recent.error;
    this.worker ??= this.newWorker();
    return this.worker;
  }
}
