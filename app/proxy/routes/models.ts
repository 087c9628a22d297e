/**
 * `GET /v1/models`: `<backendId>/<model>` for every backend model, plus the active model by its
 * plain name; Anthropic shape when the caller sent `anthropic-version`, else OpenAI shape.
 */
import type { FastifyInstance } from 'fastify';
import type { BackendRegistry } from '../../routing/backend-registry';
import { clientFormatOf } from '../client-format';

const CREATED_AT = '2025-01-01T00:00:00Z';
const CREATED = Date.parse(CREATED_AT) / 1000;

export function modelIds(registry: BackendRegistry): string[] {
  const ids = [registry.active.model];
  for (const backend of registry.list()) {
    ids.push(`${backend.id}/${backend.model}`);
    if (backend.smallModel) ids.push(`${backend.id}/${backend.smallModel}`);
  }
  return [...new Set(ids)];
}

export function registerModelsRoute(app: FastifyInstance, registry: BackendRegistry): void {
  app.get('/v1/models', async (request) => {
    const ids = modelIds(registry);
    if (clientFormatOf(request.url, request.headers) === 'anthropic') {
      return {
        data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: CREATED_AT })),
        has_more: false,
        first_id: ids[0] ?? null,
        last_id: ids[ids.length - 1] ?? null,
      };
    }
    return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: CREATED, owned_by: ownerOf(id, registry) })) };
  });
}

function ownerOf(id: string, registry: BackendRegistry): string {
  const prefix = id.split('/', 1)[0] ?? '';
  return registry.get(prefix) ? prefix : registry.active.id;
}
