/**
 * A tiny interface over the OS keychain, one service, many accounts. The keytar binding is
 * loaded lazily so a machine without libsecret still starts (env-only); every call has a timeout
 * because a Secret Service that is half there can hang instead of failing.
 */
import { KeychainUnavailableError } from './keychain-errors';
import { keychainUnavailableMessage } from './keychain-help';

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

interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

let keytarLoad: Promise<KeytarApi> | undefined;

function loadKeytar(): Promise<KeytarApi> {
  keytarLoad ??= import('keytar').then((mod) => {
    const api = ('default' in mod && mod.default ? mod.default : mod) as KeytarApi;
    if (typeof api.getPassword !== 'function') throw new Error('keytar loaded without getPassword');
    return api;
  });
  return keytarLoad;
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Keep only the first line: native errors sometimes carry long multi-line detail.
  return (text.split('\n')[0] ?? '').trim() || 'unknown error';
}

export function unavailable(reason: string): KeychainUnavailableError {
  return new KeychainUnavailableError(reason, keychainUnavailableMessage(reason));
}

async function withTimeout<T>(work: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unavailable(`no answer from the keychain within ${timeoutMs} ms (${what})`)), timeoutMs);
  });
  try {
    return await Promise.race([
      work().catch((error: unknown) => {
        throw error instanceof KeychainUnavailableError ? error : unavailable(reasonOf(error));
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface KeytarStoreOptions {
  service?: string;
  timeoutMs?: number;
}

/** The real keychain, via keytar. Failures surface as KeychainUnavailableError. */
export function createKeytarStore(options: KeytarStoreOptions = {}): SecretStore {
  const service = options.service ?? PATCHBAY_SERVICE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
  return {
    get: (account) =>
      withTimeout(async () => (await (await loadKeytar()).getPassword(service, account)) ?? undefined, timeoutMs, 'get'),
    set: (account, secret) => withTimeout(async () => (await loadKeytar()).setPassword(service, account, secret), timeoutMs, 'set'),
    delete: (account) => withTimeout(async () => (await loadKeytar()).deletePassword(service, account), timeoutMs, 'delete'),
  };
}

/** A store for a machine with no usable keychain: every call fails with the same clear error. */
export function createUnavailableStore(error: KeychainUnavailableError): SecretStore {
  const fail = (): Promise<never> => Promise.reject(error);
  return { get: fail, set: fail, delete: fail };
}
