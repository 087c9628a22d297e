/**
 * The client token (agents present it) and the admin token (the admin API wants it).
 * Generated on first start and kept in the keychain so the snippets agents hold keep working
 * across restarts. Without a keychain they are generated per run and the caller is told so.
 */
import { randomBytes } from 'node:crypto';
import { KeychainUnavailableError } from './keychain-errors';
import type { SecretStore } from './secret-store';

export type TokenKind = 'client' | 'admin';

export const TOKEN_ACCOUNTS: Readonly<Record<TokenKind, string>> = { client: 'token:client', admin: 'token:admin' };

const TOKEN_BYTES = 32;
const TOKEN_PATTERN: Readonly<Record<TokenKind, RegExp>> = {
  client: /^pb-client-[A-Za-z0-9_-]{43,}$/,
  admin: /^pb-admin-[A-Za-z0-9_-]{43,}$/,
};

export function generateToken(kind: TokenKind): string {
  return `pb-${kind}-${randomBytes(TOKEN_BYTES).toString('base64url')}`;
}

export function isWellFormedToken(kind: TokenKind, value: string | undefined): value is string {
  return value !== undefined && TOKEN_PATTERN[kind].test(value);
}

export interface LoadedTokens {
  clientToken: string;
  adminToken: string;
  /** False when the keychain could not be used: the tokens change on the next start. */
  persistent: boolean;
  /** Set when not persistent: why, and how to fix it. Never contains a token. */
  warning?: string;
}

export class TokenStore {
  private current: { client: string; admin: string } | undefined;
  private persistentTokens = false;

  /** `store` undefined means: no keychain on this machine. */
  constructor(private readonly store: SecretStore | undefined) {}

  /** Read the tokens from the keychain, creating any that are missing or malformed. */
  async load(): Promise<LoadedTokens> {
    if (!this.store) return this.ephemeral('OS keychain not configured: tokens are generated for this run only and will change on restart.');
    try {
      const client = await this.loadOne(this.store, 'client');
      const admin = await this.loadOne(this.store, 'admin');
      this.current = { client, admin };
      this.persistentTokens = true;
      return { clientToken: client, adminToken: admin, persistent: true };
    } catch (error) {
      if (!(error instanceof KeychainUnavailableError)) throw error;
      return this.ephemeral(`${error.message} Tokens are generated for this run only and will change on restart.`);
    }
  }

  get persistent(): boolean {
    return this.persistentTokens;
  }

  get clientToken(): string {
    return this.loaded().client;
  }

  get adminToken(): string {
    return this.loaded().admin;
  }

  /**
   * Replace the client token. Persisted when the keychain is in use; if that write fails the
   * old token stays valid and the error is thrown.
   */
  async rotateClientToken(): Promise<string> {
    const tokens = this.loaded();
    const next = generateToken('client');
    if (this.persistentTokens && this.store) await this.store.set(TOKEN_ACCOUNTS.client, next);
    this.current = { ...tokens, client: next };
    return next;
  }

  private async loadOne(store: SecretStore, kind: TokenKind): Promise<string> {
    const stored = await store.get(TOKEN_ACCOUNTS[kind]);
    if (isWellFormedToken(kind, stored)) return stored;
    const fresh = generateToken(kind);
    await store.set(TOKEN_ACCOUNTS[kind], fresh);
    return fresh;
  }

  private ephemeral(warning: string): LoadedTokens {
    const client = generateToken('client');
    const admin = generateToken('admin');
    this.current = { client, admin };
    this.persistentTokens = false;
    return { clientToken: client, adminToken: admin, persistent: false, warning };
  }

  private loaded(): { client: string; admin: string } {
    if (!this.current) throw new Error('TokenStore.load() must be awaited before tokens are used');
    return this.current;
  }
}
