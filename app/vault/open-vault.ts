/**
 * Start-up wiring: probe the OS keychain, build the vault on it (or on a store that explains
 * why there is none), and load the client/admin tokens.
 */
import { KeychainVault } from './keychain-vault';
import { probeKeychain } from './keychain-probe';
import { createKeytarStore, createUnavailableStore, PATCHBAY_SERVICE } from './secret-store';
import type { LoadedTokens } from './token-store';

export interface OpenVaultOptions {
  /** Keychain service name; tests pass their own. */
  service?: string;
  env?: NodeJS.ProcessEnv;
  probeTimeoutMs?: number;
  /** Per-call keychain timeout after start-up. */
  timeoutMs?: number;
}

export interface OpenedVault {
  vault: KeychainVault;
  tokens: LoadedTokens;
  /** Undefined when the keychain works; otherwise the message to show the user at start-up. */
  keychainWarning?: string;
}

export async function openVault(options: OpenVaultOptions = {}): Promise<OpenedVault> {
  const keytarStore = createKeytarStore({ service: options.service ?? PATCHBAY_SERVICE, timeoutMs: options.timeoutMs });
  const probe = await probeKeychain(keytarStore, options.probeTimeoutMs);
  const store = probe.available ? keytarStore : createUnavailableStore(probe.error);
  const vault = new KeychainVault({ store, env: options.env });
  const tokens = await vault.tokens.load();
  return probe.available ? { vault, tokens } : { vault, tokens, keychainWarning: probe.error.message };
}
