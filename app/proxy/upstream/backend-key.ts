/**
 * The upstream key of a backend, fetched per request from the KeySource. A backend without a
 * key (and not declared `"none"`), or whose key sits in an OS keychain that cannot be read, is
 * a problem of Patchbay's configuration: answered at once with a status no client retries and
 * the exact fix (which variable, which admin call), never any key material or token.
 */
import type { BackendConfig } from '../../config/schema';
import { ApiErrorException, proxyConfigError } from '../../ir/errors';
import { KeychainUnavailableError } from '../../vault/keychain-errors';
import type { KeySource } from '../../vault/key-source';

export interface BackendKeyContext {
  /** The proxy's own base URL as the client reached it (e.g. `http://127.0.0.1:7420`), for the fix's curl call. */
  proxyUrl?: string;
}

export async function backendKey(keySource: KeySource, backend: BackendConfig, context: BackendKeyContext = {}): Promise<string | undefined> {
  let key: string | undefined;
  try {
    key = await keySource.getKey(backend.id, backend.apiKey);
  } catch (err) {
    if (err instanceof KeychainUnavailableError) throw new ApiErrorException(keychainProblem(backend, err, context));
    throw err;
  }
  if (key !== undefined || backend.apiKey === 'none') return key;
  const { problem, fix } = missingKey(backend, context);
  throw new ApiErrorException(proxyConfigError(problem, fix));
}

/** The admin call that stores a key in the keychain (placeholders for the key and the admin token). */
export function setKeyCall(backendId: string, proxyUrl = 'http://127.0.0.1:7420'): string {
  return (
    `curl -X PUT ${proxyUrl}/api/backends/${backendId}/key -H "authorization: Bearer $PATCHBAY_ADMIN_TOKEN" ` +
    `-H 'content-type: application/json' -d '{"key":"<your key>"}' (the admin token is printed when Patchbay starts)`
  );
}

function missingKey(backend: BackendConfig, context: BackendKeyContext): { problem: string; fix: string } {
  if (backend.apiKey.startsWith('env:')) {
    const name = backend.apiKey.slice(4);
    return {
      problem: `no API key for backend "${backend.id}": the environment variable ${name} is not set in the shell that started Patchbay`,
      fix: `set ${name} and restart Patchbay, or store the key in the OS keychain without a restart: ${setKeyCall(backend.id, context.proxyUrl)}`,
    };
  }
  return {
    problem: `no API key for backend "${backend.id}": nothing is stored in the OS keychain for it`,
    fix: `store it: ${setKeyCall(backend.id, context.proxyUrl)}`,
  };
}

function keychainProblem(backend: BackendConfig, err: KeychainUnavailableError, context: BackendKeyContext) {
  const url = context.proxyUrl ?? 'http://127.0.0.1:7420';
  return proxyConfigError(
    `the key of backend "${backend.id}" is in the OS keychain, which cannot be used: ${err.message}`,
    `make the keychain usable and retry, or give the backend an environment variable instead: ` +
      `curl -X PATCH ${url}/api/backends/${backend.id} -H "authorization: Bearer $PATCHBAY_ADMIN_TOKEN" ` +
      `-H 'content-type: application/json' -d '{"apiKey":"env:<NAME>"}' and restart Patchbay with <NAME> set`,
  );
}

/** The message for a backend without a key (also said by `patchbay serve` at start). */
export function missingKeyMessage(backend: BackendConfig): string {
  const { problem, fix } = missingKey(backend, {});
  return `${problem}. Fix: ${fix}`;
}

/** How a backend's key is provided, for display ("env", "keychain" or "none"). */
export function keySourceKind(ref: string): 'env' | 'keychain' | 'none' {
  if (ref.startsWith('env:')) return 'env';
  return ref === 'keychain' ? 'keychain' : 'none';
}
