/**
 * Key commands. Write-only: a key goes in, only `{ set, last4?, source }` ever comes out. A key
 * set on a backend that reads it from `env:NAME` or `none` would be ignored, so the backend is
 * switched to `"apiKey": "keychain"` (saved) and the answer says so (`switchedFrom`). The client
 * token is the exception by design: rotating it hands the new one to the admin for the agents.
 */
import type { BackendConfig } from '../config/schema';
import type { ConfigStore } from '../config/store';
import { keyShapeProblem } from '../vault/key-shape';
import type { KeychainVault } from '../vault/keychain-vault';
import { invalid, noBackend, parseInput } from './api-error';
import { vaultKeyStatus } from './backend-view';
import { COMMANDS, type AdminCommands } from './contract';

export interface KeyDeps {
  vault: KeychainVault;
  /** The backend's config; without a store every backend is taken to read the keychain. */
  backend(id: string): BackendConfig | undefined;
  store?: ConfigStore;
  /** Called after a backend's key was set or deleted (e.g. to refresh the log's known secrets). */
  onKeyChanged?(id: string): void;
  /** Called after the client token was rotated. */
  onClientTokenRotated?(clientToken: string): void;
}

const SET_KEY_HINT = 'input must be {"key": "..."} with the key as a string';

function describeRef(ref: string): string {
  return ref.startsWith('env:') ? `the environment variable ${ref.slice(4)}` : `nowhere ("apiKey": "${ref}")`;
}

export function keyCommands(deps: KeyDeps): Pick<AdminCommands, 'getKey' | 'setKey' | 'deleteKey' | 'rotateClientToken'> {
  // An admin asking about a key gets the keychain's own answer (or its error), not a cached one.
  const status = vaultKeyStatus({ keyStatus: (id) => deps.vault.keyStatus(id, { live: true }), getKey: (id, ref) => deps.vault.getKey(id, ref) }, true);
  const requireBackend = (id: string): BackendConfig => {
    const backend = deps.backend(id);
    if (!backend) throw noBackend(id);
    return backend;
  };
  const idOnly = (input: unknown): string => parseInput(COMMANDS.getKey.input, input, 'input must be {"id": "<backend id>"}').id;

  return {
    getKey: async (input) => status(requireBackend(idOnly(input))),

    setKey: async (input) => {
      // The backend is checked first: an unknown id is 404 whatever the body.
      const rawId = (input as { id?: unknown } | undefined)?.id;
      if (typeof rawId === 'string') requireBackend(rawId);
      const { id, key } = parseInput(COMMANDS.setKey.input, input, SET_KEY_HINT);
      const backend = requireBackend(id);
      const problem = keyShapeProblem(key);
      if (problem) throw invalid(problem, 'key');
      const ref = deps.store ? backend.apiKey : 'keychain';
      const stored = await deps.vault.setKey(id, key);
      if (ref !== 'keychain') {
        await deps.store!.update((config) => {
          const b = config.backends.find((x) => x.id === id);
          if (b) b.apiKey = 'keychain';
        });
      }
      deps.onKeyChanged?.(id);
      if (ref === 'keychain') return { backend: id, ...stored, source: 'keychain' };
      return {
        backend: id,
        ...stored,
        source: 'keychain',
        switchedFrom: ref,
        message: `backend "${id}" read its key from ${describeRef(ref)}; it now reads it from the OS keychain ("apiKey": "keychain", saved to the config)`,
      };
    },

    deleteKey: async (input) => {
      const id = idOnly(input);
      requireBackend(id);
      await deps.vault.deleteKey(id);
      deps.onKeyChanged?.(id);
      return { backend: id, set: false as const };
    },

    rotateClientToken: async () => {
      const clientToken = await deps.vault.tokens.rotateClientToken();
      deps.onClientTokenRotated?.(clientToken);
      return { clientToken, persistent: deps.vault.tokens.persistent };
    },
  };
}
