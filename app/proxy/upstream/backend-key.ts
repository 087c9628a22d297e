/**
 * The upstream key of a backend, fetched per request from the KeySource. A backend without a
 * key (and not declared `"none"`) is answered with an authentication error that says which
 * backend lacks a key and how to provide one, never any key material.
 */
import type { BackendConfig } from '../../config/schema';
import { ApiErrorException, apiError } from '../../ir/errors';
import type { KeySource } from '../../vault/key-source';

export async function backendKey(keySource: KeySource, backend: BackendConfig): Promise<string | undefined> {
  const key = await keySource.getKey(backend.id, backend.apiKey);
  if (key !== undefined || backend.apiKey === 'none') return key;
  throw new ApiErrorException(apiError('authentication', missingKeyMessage(backend)));
}

export function missingKeyMessage(backend: BackendConfig): string {
  if (backend.apiKey.startsWith('env:')) {
    const name = backend.apiKey.slice(4);
    return `Patchbay has no API key for backend "${backend.id}": set the environment variable ${name} and restart the proxy`;
  }
  return `Patchbay has no API key for backend "${backend.id}": store it in the OS keychain for this backend (see "patchbay --help")`;
}

/** How a backend's key is provided, for display ("env", "keychain" or "none"). */
export function keySourceKind(ref: string): 'env' | 'keychain' | 'none' {
  if (ref.startsWith('env:')) return 'env';
  return ref === 'keychain' ? 'keychain' : 'none';
}
