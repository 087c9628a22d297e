/**
 * The key vault: upstream keys live in the OS keychain (service "patchbay", account
 * "backend:<id>"), never in a file of ours. Implements KeySource for "keychain" refs and
 * delegates "env:NAME" refs to EnvKeySource. Write-only from the outside: no method meant for
 * an API returns a key (getKey is for the proxy's upstream call only).
 *
 * When the keychain stops answering (its daemon went away), keys read before keep serving
 * requests from memory (never written anywhere) and the keychain is asked again every few
 * seconds; key operations fail with the keychain's error until it is back.
 */
import { EnvKeySource, type KeySource } from './key-source';
import { InvalidKeyError, KeychainUnavailableError } from './keychain-errors';
import { keyShapeProblem, lastFour } from './key-shape';
import type { SecretStore } from './secret-store';
import { TokenStore } from './token-store';

export const DEFAULT_KEY_CACHE_TTL_MS = 60_000;
/** While the keychain is unavailable, how long a last-known key is used before asking again. */
export const DEFAULT_STALE_RETRY_MS = 5_000;

export interface KeyStatus {
  set: boolean;
  /** Last four characters, only for keys long enough that this gives nothing away. */
  last4?: string;
}

export interface KeychainVaultOptions {
  /** The keychain; use createUnavailableStore() when there is none (the error then explains why). */
  store: SecretStore;
  env?: NodeJS.ProcessEnv;
  /** How long a keychain read is reused (keys set through this vault invalidate at once). */
  cacheTtlMs?: number;
  /** While the keychain is unavailable, how long a last-known key is reused before asking again. */
  staleRetryMs?: number;
  now?: () => number;
}

export function backendAccount(backendId: string): string {
  return `backend:${backendId}`;
}

interface CacheEntry {
  value: Promise<string | undefined>;
  expiresAt: number;
}

export class KeychainVault implements KeySource {
  /** Client and admin tokens, kept in the same keychain. Call `tokens.load()` at start-up. */
  readonly tokens: TokenStore;
  private readonly store: SecretStore;
  private readonly envSource: EnvKeySource;
  private readonly cacheTtlMs: number;
  private readonly staleRetryMs: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, CacheEntry>();
  /** The last key the keychain gave (or took) per backend: what serves while it is unavailable. Memory only. */
  private readonly lastKnown = new Map<string, string>();

  constructor(options: KeychainVaultOptions) {
    this.store = options.store;
    this.envSource = new EnvKeySource(options.env ?? process.env);
    this.cacheTtlMs = options.cacheTtlMs ?? DEFAULT_KEY_CACHE_TTL_MS;
    this.staleRetryMs = options.staleRetryMs ?? DEFAULT_STALE_RETRY_MS;
    this.now = options.now ?? Date.now;
    this.tokens = new TokenStore(this.store);
  }

  /**
   * The key for a backend's upstream request. "keychain" refs read the keychain (cached). When
   * it cannot be reached, the key last read from it in this run is used; with none, this throws
   * KeychainUnavailableError. There is no other fallback.
   */
  async getKey(backendId: string, ref: string): Promise<string | undefined> {
    if (ref === 'keychain') return this.readCached(backendId);
    return this.envSource.getKey(backendId, ref);
  }

  async setKey(backendId: string, key: string): Promise<KeyStatus> {
    const problem = keyShapeProblem(key);
    if (problem) throw new InvalidKeyError(problem);
    this.cache.delete(backendId);
    await this.store.set(backendAccount(backendId), key);
    this.remember(backendId, key);
    return statusOf(key);
  }

  /** True when a key was stored. */
  async deleteKey(backendId: string): Promise<boolean> {
    this.cache.delete(backendId);
    const deleted = await this.store.delete(backendAccount(backendId));
    this.remember(backendId, undefined);
    return deleted;
  }

  /**
   * Whether a key is stored, and its last four characters. `live` asks the keychain itself (an
   * admin's question: fails while the keychain is unavailable); otherwise the cached answer
   * serves, and during an outage the last-known key.
   */
  async keyStatus(backendId: string, options: { live?: boolean } = {}): Promise<KeyStatus> {
    if (!options.live) return statusOf(await this.readCached(backendId));
    const key = await this.store.get(backendAccount(backendId));
    this.remember(backendId, key);
    return statusOf(key);
  }

  /** Forget cached keys (all, or one backend's), e.g. after the keychain was edited elsewhere. */
  invalidate(backendId?: string): void {
    if (backendId === undefined) this.cache.clear();
    else this.cache.delete(backendId);
  }

  private readCached(backendId: string): Promise<string | undefined> {
    const hit = this.cache.get(backendId);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    const entry: CacheEntry = { value: Promise.resolve(undefined), expiresAt: this.now() + this.cacheTtlMs };
    entry.value = this.store.get(backendAccount(backendId)).then(
      (key) => {
        this.setLastKnown(backendId, key);
        return key;
      },
      (error: unknown) => {
        const known = this.lastKnown.get(backendId);
        if (!(error instanceof KeychainUnavailableError) || known === undefined) throw error;
        // The keychain is gone for now: keep serving the key it gave, and ask again soon.
        entry.expiresAt = this.now() + this.staleRetryMs;
        return known;
      },
    );
    this.cache.set(backendId, entry);
    // A failed read is not remembered: the next request asks the keychain again.
    entry.value.catch(() => {
      if (this.cache.get(backendId) === entry) this.cache.delete(backendId);
    });
    return entry.value;
  }

  private remember(backendId: string, key: string | undefined): void {
    this.setLastKnown(backendId, key);
    this.cache.set(backendId, { value: Promise.resolve(key), expiresAt: this.now() + this.cacheTtlMs });
  }

  private setLastKnown(backendId: string, key: string | undefined): void {
    if (key === undefined) this.lastKnown.delete(backendId);
    else this.lastKnown.set(backendId, key);
  }
}

function statusOf(key: string | undefined): KeyStatus {
  if (key === undefined) return { set: false };
  const last4 = lastFour(key);
  return last4 === undefined ? { set: true } : { set: true, last4 };
}
