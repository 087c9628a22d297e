/**
 * Is the OS keychain usable right now? A read is not enough: a locked gnome-keyring answers
 * reads with "nothing stored" and only fails on write. So the probe writes, reads back and
 * deletes one throw-away entry, under a timeout (a half-present Secret Service can hang).
 */
import { randomBytes } from 'node:crypto';
import { KeychainUnavailableError } from './keychain-errors';
import { unavailable, type SecretStore } from './secret-store';

export const PROBE_ACCOUNT = 'probe';
export const DEFAULT_PROBE_TIMEOUT_MS = 3000;

export type KeychainProbeResult =
  | { available: true }
  | { available: false; error: KeychainUnavailableError };

async function roundTrip(store: SecretStore): Promise<void> {
  const marker = randomBytes(12).toString('base64url');
  await store.set(PROBE_ACCOUNT, marker);
  const readBack = await store.get(PROBE_ACCOUNT);
  await store.delete(PROBE_ACCOUNT);
  if (readBack !== marker) throw unavailable('the keychain did not return what was just stored in it');
}

export async function probeKeychain(store: SecretStore, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): Promise<KeychainProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unavailable(`no answer from the keychain within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([roundTrip(store), timeout]);
    return { available: true };
  } catch (error) {
    if (error instanceof KeychainUnavailableError) return { available: false, error };
    return { available: false, error: unavailable(error instanceof Error ? error.message : String(error)) };
  } finally {
    clearTimeout(timer);
  }
}
