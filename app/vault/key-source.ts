/**
 * How the engine obtains upstream credentials. The proxy only ever sees this interface;
 * the env-var source and the OS-keychain vault (issue 3) both implement it.
 */
export interface KeySource {
  /**
   * The key for a backend, or undefined when none is configured (the proxy then answers
   * with an authentication error naming the backend, never the key).
   * `ref` is the backend's `apiKey` field: "env:NAME", "keychain" or "none".
   */
  getKey(backendId: string, ref: string): Promise<string | undefined>;
}

/** Reads `env:NAME` references from an environment; refuses to guess for anything else. */
export class EnvKeySource implements KeySource {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async getKey(_backendId: string, ref: string): Promise<string | undefined> {
    if (ref === 'none') return undefined;
    if (ref.startsWith('env:')) {
      const value = this.env[ref.slice(4)];
      return value && value.length > 0 ? value : undefined;
    }
    return undefined;
  }
}
