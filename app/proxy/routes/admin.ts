/**
 * Admin API (Bearer admin token, checked by the guard):
 * - `GET /api/state` -> `{active, backends}`; key refs are shown as `keySource` and `hasKey`,
 *   never key material (extra header values are hidden too);
 * - `PUT /api/active` `{"backend":"<id>"}` -> the new state; 404 unknown id, 400 bad body.
 * A switch affects requests that start afterwards; streams in flight finish where they started.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BackendConfig } from '../../config/schema';
import { quirksNameFor } from '../../quirks/index';
import { BackendNotFoundError, type BackendRegistry } from '../../routing/backend-registry';
import type { KeySource } from '../../vault/key-source';
import { adminError } from '../admin-errors';
import { keySourceKind } from '../upstream/backend-key';

const setActiveBody = z.object({ backend: z.string().min(1) }).strict();

export type BackendView = Omit<BackendConfig, 'apiKey' | 'headers'> & {
  keySource: 'env' | 'keychain' | 'none';
  hasKey: boolean;
  /** The quirk profile in force for the backend's main model (app/quirks). */
  quirksInForce: string;
  /** Names of extra upstream headers (values are not shown: they may be secrets). */
  headerNames?: string[];
};

export async function adminState(registry: BackendRegistry, keySource: KeySource): Promise<{ active: string; backends: BackendView[] }> {
  const backends = await Promise.all(
    registry.list().map(async (backend): Promise<BackendView> => {
      const { apiKey, headers, ...rest } = backend;
      const hasKey = await keySource.getKey(backend.id, apiKey).then(
        (key) => key !== undefined,
        () => false,
      );
      const view: BackendView = { ...rest, keySource: keySourceKind(apiKey), hasKey, quirksInForce: quirksNameFor(backend) };
      if (headers) view.headerNames = Object.keys(headers);
      return view;
    }),
  );
  return { active: registry.active.id, backends };
}

export function registerAdminRoutes(app: FastifyInstance, registry: BackendRegistry, keySource: KeySource): void {
  app.get('/api/state', async () => adminState(registry, keySource));

  app.put('/api/active', async (request, reply) => {
    const parsed = setActiveBody.safeParse(request.body);
    if (!parsed.success) {
      return reply.code(400).send(adminError('invalid_request', 'body must be {"backend": "<backend id>"}'));
    }
    try {
      registry.setActive(parsed.data.backend);
    } catch (err) {
      if (err instanceof BackendNotFoundError) return reply.code(404).send(adminError('not_found', err.message));
      throw err;
    }
    request.log.info({ active: parsed.data.backend }, 'active backend switched');
    return adminState(registry, keySource);
  });
}
