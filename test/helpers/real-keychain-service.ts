/**
 * A unique service on the real OS keychain for the test file that calls this at its top level:
 * registers the hooks that check the keychain can be used (printing why not) and remove the
 * service's entries afterwards. Tests skip with `problem` when it is set.
 */
import { after, before } from 'node:test';
import { realKeychainProblem, removeTestService, uniqueTestService } from '../unit/vault/helpers/test-keychain';

export interface RealKeychainService {
  readonly service: string;
  /** Why the real keychain cannot be used here (set once the before hook ran), or undefined. */
  readonly problem: string | undefined;
}

export function useRealKeychainService(label = 'real-keychain tests'): RealKeychainService {
  const keychain: { service: string; problem: string | undefined } = { service: uniqueTestService(), problem: undefined };
  before(async () => {
    keychain.problem = await realKeychainProblem(keychain.service);
    if (keychain.problem) console.log(`# skipping ${label}: ${keychain.problem}`);
  });
  after(async () => {
    if (!keychain.problem) await removeTestService(keychain.service);
  });
  return keychain;
}
