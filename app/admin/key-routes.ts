/**
 * Admin API for upstream keys. Write-only: a key goes in, only `{ set, last4 }` ever comes out.
 * The client token is the exception by design (the admin rotates it to hand it to agents).
 * A key set on a backend whose config reads it from `env:NAME` (all presets) or `none` would be
 * ignored, so the backend is switched to `"apiKey": "keychain"` (saved) and the answer says so
 * (`source`, `switchedFrom`). GET reports the key where the backend really reads it from.
 * Authentication is applied by the caller. Errors are `{ "error": { "message" } }` and are
 * written here, never copied from the request, so a key cannot be echoed back.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ConfigStore } from '../config/store';
import { InvalidKeyError, KeychainUnavailableError } from '../vault/keychain-errors';
import { keyShapeProblem, lastFour, MAX_KEY_BYTES } from '../vault/key-shape';
import type { KeychainVault } from '../vault/keychain-vault';

export interface KeyRoutesDeps {
  vault: KeychainVault;
  hasBackend(id: string): boolean;
  /** Called after a backend's key was set or deleted (e.g. to reset its error state). */
  onKeyChanged?(id: string): void;
  /** Called after the client token was rotated (the auth layer may also read vault.tokens). */
  onClientTokenRotated?(clientToken: string): void;
  /** Backend diagnostics, mounted by the diagnostics routes (not here). */
  testBackend?(id: string): Promise<unknown>;
  /**
   * The config: with it, PUT on an `env:`/`none` backend switches it to the keychain, and GET
   * reports env keys too. Without it every backend is taken to read the keychain.
   */
  store?: ConfigStore;
}

/** Room for a 4 KiB key plus JSON escaping; bigger bodies are refused before parsing. */
const KEY_BODY_LIMIT_BYTES = 4 * MAX_KEY_BYTES;

const putKeyBody = z.object({ key: z.string() });

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Messages for framework errors, ours rather than the framework's (which may quote input). */
function frameworkErrorMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `request body too large (a key is at most ${MAX_KEY_BYTES} bytes)`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'send the key as JSON: {"key":"..."} with content-type application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'request body must be JSON: {"key":"..."}';
    default:
      return 'bad request';
  }
}

function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  let status: number;
  let message: string;
  if (error instanceof HttpError) {
    [status, message] = [error.statusCode, error.message];
  } else if (error instanceof InvalidKeyError) {
    [status, message] = [400, error.message];
  } else if (error instanceof KeychainUnavailableError) {
    [status, message] = [503, error.message];
  } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    [status, message] = [error.statusCode, frameworkErrorMessage(error)];
  } else {
    [status, message] = [500, 'internal error while handling the key'];
  }
  request.log.warn({ statusCode: status, errorName: error.name, errorCode: error.code }, message);
  void reply.code(status).header('cache-control', 'no-store').send({ error: { message } });
}

function requireBackend(deps: KeyRoutesDeps, id: string): void {
  if (!deps.hasBackend(id)) throw new HttpError(404, `no backend has id "${id}"`);
}

/** Where the backend reads its key from: its `apiKey` ref ("keychain" without a store). */
function keyRef(deps: KeyRoutesDeps, id: string): string {
  return deps.store?.config.backends.find((b) => b.id === id)?.apiKey ?? 'keychain';
}

function describeRef(ref: string): string {
  return ref.startsWith('env:') ? `the environment variable ${ref.slice(4)}` : `nowhere ("apiKey": "${ref}")`;
}

async function switchToKeychain(store: ConfigStore, id: string): Promise<void> {
  await store.update((config) => {
    const backend = config.backends.find((b) => b.id === id);
    if (backend) backend.apiKey = 'keychain';
  });
}

export function registerKeyRoutes(app: FastifyInstance, deps: KeyRoutesDeps): void {
  const common = { errorHandler: handleError, bodyLimit: KEY_BODY_LIMIT_BYTES };

  app.put<{ Params: { id: string } }>('/api/backends/:id/key', common, async (request, reply) => {
    const { id } = request.params;
    requireBackend(deps, id);
    const parsed = putKeyBody.safeParse(request.body);
    if (!parsed.success) throw new HttpError(400, 'request body must be JSON: {"key":"..."} with the key as a string');
    const problem = keyShapeProblem(parsed.data.key);
    if (problem) throw new HttpError(400, problem);
    const ref = keyRef(deps, id);
    const status = await deps.vault.setKey(id, parsed.data.key);
    if (ref !== 'keychain') await switchToKeychain(deps.store!, id);
    deps.onKeyChanged?.(id);
    void reply.header('cache-control', 'no-store');
    if (ref === 'keychain') return { backend: id, ...status, source: 'keychain' };
    return {
      backend: id,
      ...status,
      source: 'keychain',
      switchedFrom: ref,
      message: `backend "${id}" read its key from ${describeRef(ref)}; it now reads it from the OS keychain ("apiKey": "keychain", saved to the config)`,
    };
  });

  app.delete<{ Params: { id: string } }>('/api/backends/:id/key', common, async (request, reply) => {
    const { id } = request.params;
    requireBackend(deps, id);
    await deps.vault.deleteKey(id);
    deps.onKeyChanged?.(id);
    void reply.header('cache-control', 'no-store');
    return { backend: id, set: false };
  });

  app.get<{ Params: { id: string } }>('/api/backends/:id/key', common, async (request, reply) => {
    const { id } = request.params;
    requireBackend(deps, id);
    void reply.header('cache-control', 'no-store');
    const ref = keyRef(deps, id);
    if (ref === 'keychain') return deps.vault.keyStatus(id);
    const key = await deps.vault.getKey(id, ref);
    const last4 = key === undefined ? undefined : lastFour(key);
    return { set: key !== undefined, ...(last4 !== undefined ? { last4 } : {}), source: ref === 'none' ? 'none' : ref };
  });

  app.post('/api/token/rotate', common, async (_request, reply) => {
    const clientToken = await deps.vault.tokens.rotateClientToken();
    deps.onClientTokenRotated?.(clientToken);
    void reply.header('cache-control', 'no-store');
    return { clientToken, persistent: deps.vault.tokens.persistent };
  });
}
