/**
 * A tiny interface over the OS keychain, one service, many accounts. The keytar binding is
 * loaded lazily so a machine without libsecret still starts (env-only); every call has a timeout
 * because a Secret Service that is half there can hang instead of failing, and a failed call
 * makes the next one reconnect (keytar-connection.ts).
 */
import { KeychainUnavailableError } from './keychain-errors';
import { keychainDaemonGone, keychainGoneMessage, keychainUnavailableMessage } from './keychain-help';
import { KeytarConnection } from './keytar-connection';
import type { KeytarApi } from './keytar-worker';

export interface SecretStore {
  /** The secret for an account, undefined when there is none. */
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

/** The keychain service name Patchbay uses in production. Tests use their own. */
export const PATCHBAY_SERVICE = 'patchbay';

export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 5000;

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Keep only the first line: native errors sometimes carry long multi-line detail.
  return (text.split('\n')[0] ?? '').trim() || 'unknown error';
}

export function unavailable(reason: string): KeychainUnavailableError {
  return new KeychainUnavailableError(reason, keychainUnavailableMessage(reason));
}

export interface KeytarStoreOptions {
  service?: string;
  timeoutMs?: number;
  /** The way to keytar (default: in-process, then a fresh child process after each failure). */
  connection?: KeytarConnection;
}

/**
 * The real keychain, via keytar. Failures surface as KeychainUnavailableError; after one, the
 * next call reconnects (keytar-connection.ts), so a keychain daemon that comes back is used again.
 */
export function createKeytarStore(options: KeytarStoreOptions = {}): SecretStore {
  const service = options.service ?? PATCHBAY_SERVICE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
  const connection = options.connection ?? new KeytarConnection();
  // A keychain that answered before and now does not has lost its daemon: that fix, not the install one.
  let answeredBefore = false;
  const failure = (reason: string): KeychainUnavailableError =>
    answeredBefore && keychainDaemonGone(reason) ? new KeychainUnavailableError(reason, keychainGoneMessage(reason)) : unavailable(reason);
  const call = <T>(what: string, work: (api: KeytarApi) => Promise<T>): Promise<T> =>
    connection.run(work, timeoutMs, () => new Error(`no answer from the keychain within ${timeoutMs} ms (${what})`)).then(
      (value) => {
        answeredBefore = true;
        return value;
      },
      (error: unknown) => {
        throw error instanceof KeychainUnavailableError ? error : failure(reasonOf(error));
      },
    );
  return {
    get: (account) => call('get', async (api) => (await api.getPassword(service, account)) ?? undefined),
    set: (account, secret) => call('set', (api) => api.setPassword(service, account, secret)),
    delete: (account) => call('delete', (api) => api.deletePassword(service, account)),
  };
}

/** A store for a machine with no usable keychain: every call fails with the same clear error. */
export function createUnavailableStore(error: KeychainUnavailableError): SecretStore {
  const fail = (): Promise<never> => Promise.reject(error);
  return { get: fail, set: fail, delete: fail };
}
