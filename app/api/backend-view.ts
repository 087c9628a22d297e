/**
 * The one view of a backend the admin API gives: its config with header values hidden, its key
 * status `{ set, last4?, source }` read where the backend really reads its key, and the quirk
 * profile in force. Never key material.
 */
import type { BackendConfig } from '../config/schema';
import { quirksNameFor } from '../quirks/index';
import { lastFour } from '../vault/key-shape';
import type { KeySource } from '../vault/key-source';
import type { KeychainVault } from '../vault/keychain-vault';
import type { BackendView, KeyStatus } from './contract';

export type KeyStatusReader = (backend: BackendConfig) => Promise<KeyStatus>;

/**
 * Key status from the vault: the keychain entry for `keychain` backends, the variable for
 * `env:NAME` ones. `strict` lets a keychain failure through (the key commands answer 503);
 * otherwise it reads as not set (a state view still renders).
 */
export function vaultKeyStatus(vault: Pick<KeychainVault, 'keyStatus' | 'getKey'>, strict = false): KeyStatusReader {
  return async (backend) => {
    const source = backend.apiKey;
    if (source === 'keychain') {
      const status = strict ? await vault.keyStatus(backend.id) : await vault.keyStatus(backend.id).catch(() => ({ set: false }));
      return { ...status, source };
    }
    const key = await vault.getKey(backend.id, source).catch(() => undefined);
    const last4 = key === undefined ? undefined : lastFour(key);
    return { set: key !== undefined, ...(last4 !== undefined ? { last4 } : {}), source };
  };
}

/** Key status from a plain key source (a bare proxy server without the vault): set and last4. */
export function keySourceStatus(keySource: KeySource): KeyStatusReader {
  return async (backend) => {
    const key = await keySource.getKey(backend.id, backend.apiKey).catch(() => undefined);
    const last4 = key === undefined ? undefined : lastFour(key);
    return { set: key !== undefined, ...(last4 !== undefined ? { last4 } : {}), source: backend.apiKey };
  };
}

export async function backendView(backend: BackendConfig, keyStatus: KeyStatusReader): Promise<BackendView> {
  const { headers, ...rest } = backend;
  return {
    ...rest,
    ...(headers ? { headerNames: Object.keys(headers) } : {}),
    key: await keyStatus(backend),
    quirksInForce: quirksNameFor(backend),
  };
}
