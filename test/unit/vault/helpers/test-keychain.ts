/**
 * Helpers for tests on the real OS keychain: a unique service name per test file (a real user's
 * "patchbay" entries are never touched), clean-up, and a store wrapper that counts calls.
 */
import { randomBytes } from 'node:crypto';
import keytar from 'keytar';
import { probeKeychain } from '../../../../app/vault/keychain-probe';
import { createKeytarStore, type SecretStore } from '../../../../app/vault/secret-store';

export function uniqueTestService(): string {
  return `patchbay-test-${randomBytes(6).toString('hex')}`;
}

/** Delete every entry of a test service. */
export async function removeTestService(service: string): Promise<void> {
  if (!service.startsWith('patchbay-test-')) throw new Error(`refusing to clean up non-test service ${service}`);
  const credentials = await keytar.findCredentials(service);
  for (const { account } of credentials) await keytar.deletePassword(service, account);
}

/** Why the real keychain cannot be used here, or undefined when it can (tests skip with this reason). */
export async function realKeychainProblem(service: string): Promise<string | undefined> {
  const probe = await probeKeychain(createKeytarStore({ service }));
  return probe.available ? undefined : `no usable Secret Service (run via scripts/run-tests.mjs): ${probe.error.reason}`;
}

export interface CountingStore extends SecretStore {
  calls: { get: number; set: number; delete: number };
}

export function countingStore(inner: SecretStore): CountingStore {
  const calls = { get: 0, set: 0, delete: 0 };
  return {
    calls,
    get: (account) => {
      calls.get += 1;
      return inner.get(account);
    },
    set: (account, secret) => {
      calls.set += 1;
      return inner.set(account, secret);
    },
    delete: (account) => {
      calls.delete += 1;
      return inner.delete(account);
    },
  };
}

/** A fake key with a recognisable, unique body (never a real key). */
export function fakeKey(prefix = 'sk-test'): string {
  return `${prefix}-${randomBytes(24).toString('base64url')}`;
}
