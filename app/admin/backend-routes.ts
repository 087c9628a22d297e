/**
 * Admin API for backends: list, presets, add, edit, remove, failover order, diagnose.
 * Every edit goes through the ConfigStore (validated as a whole, written atomically).
 * No response ever carries key material: `apiKey` is a reference ("env:NAME", "keychain",
 * "none"), and key status is only `{ set, last4 }`. Authentication is applied by the caller.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ConfigError } from '../config/load';
import { PRESETS } from '../config/presets';
import type { BackendConfig } from '../config/schema';
import type { ConfigStore } from '../config/store';
import type { Diagnosis } from './backend-diagnosis';

export interface KeyStatus {
  set: boolean;
  last4?: string;
}

export interface BackendRoutesDeps {
  store: ConfigStore;
  keyStatus(backend: BackendConfig): Promise<KeyStatus>;
  /** Remove a deleted backend's keychain entry (so no orphan key stays behind). */
  forgetKey?(backendId: string): Promise<void>;
  diagnose(backendId: string): Promise<Diagnosis>;
  /** The backend serving requests right now (may be ahead of the saved config by a moment). */
  activeId?(): string;
}

class ActiveBackendError extends Error {}

function fail(reply: FastifyReply, status: number, message: string) {
  return reply.code(status).header('cache-control', 'no-store').send({ error: { message } });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Config errors name fields of "the edited config"; say which backend they concern instead. */
function configProblem(err: unknown): string | undefined {
  return err instanceof ConfigError ? err.message.replace(/^the edited config is invalid:\n\s*/, '').replace(/\n\s*/g, '; ') : undefined;
}

export function registerBackendRoutes(app: FastifyInstance, deps: BackendRoutesDeps): void {
  const { store } = deps;

  const describe = async (b: BackendConfig) => ({ ...b, key: await deps.keyStatus(b) });

  app.get('/api/backends', async () => {
    const config = store.config;
    return {
      active: config.active,
      failover: config.failover ?? [],
      backends: await Promise.all(config.backends.map(describe)),
    };
  });

  app.get('/api/presets', async () => ({ presets: PRESETS }));

  app.post('/api/backends', async (request, reply) => {
    const body = request.body;
    if (!isObject(body)) return fail(reply, 400, 'body must be a JSON object describing the backend');
    const { preset, ...fields } = body;
    let candidate: Record<string, unknown> = { apiKey: 'keychain', ...fields };
    if (preset !== undefined) {
      const base = PRESETS.find((p) => p.id === preset);
      if (!base) return fail(reply, 400, `preset: unknown preset "${String(preset)}" (known: ${PRESETS.map((p) => p.id).join(', ')})`);
      candidate = { ...base, apiKey: 'keychain', ...fields };
      // A preset's overflow backend may not exist in this config.
      if (fields.overflowTo === undefined && !store.config.backends.some((b) => b.id === candidate.overflowTo)) delete candidate.overflowTo;
    }
    const id = candidate.id;
    if (typeof id === 'string' && store.config.backends.some((b) => b.id === id)) {
      return fail(reply, 409, `a backend with id "${id}" exists already; edit it with PUT /api/backends/${id}`);
    }
    try {
      const next = await store.update((c) => {
        c.backends.push(candidate as BackendConfig);
      });
      const created = next.backends.find((b) => b.id === id)!;
      return reply.code(201).send(await describe(created));
    } catch (err) {
      const problem = configProblem(err);
      if (problem) return fail(reply, 400, problem);
      throw err;
    }
  });

  const edit = (merge: boolean) => async (request: { params: { id: string }; body: unknown }, reply: FastifyReply) => {
    const { id } = request.params;
    const body = request.body;
    if (!isObject(body)) return fail(reply, 400, 'body must be a JSON object describing the backend');
    if (body.id !== undefined && body.id !== id) return fail(reply, 400, `id: a backend's id cannot change (path says "${id}", body says "${String(body.id)}")`);
    const index = store.config.backends.findIndex((b) => b.id === id);
    if (index < 0) return fail(reply, 404, `no backend has id "${id}"`);
    try {
      const next = await store.update((c) => {
        const replacement = merge ? { ...c.backends[index], ...body, id } : { ...body, id };
        c.backends[index] = replacement as BackendConfig;
      });
      return describe(next.backends[index]!);
    } catch (err) {
      const problem = configProblem(err);
      if (problem) return fail(reply, 400, problem);
      throw err;
    }
  };
  app.put<{ Params: { id: string } }>('/api/backends/:id', edit(false));
  app.patch<{ Params: { id: string } }>('/api/backends/:id', edit(true));

  app.delete<{ Params: { id: string } }>('/api/backends/:id', async (request, reply) => {
    const { id } = request.params;
    const config = store.config;
    if (!config.backends.some((b) => b.id === id)) return fail(reply, 404, `no backend has id "${id}"`);
    const isActive = () => store.config.active === id || deps.activeId?.() === id;
    const activeConflict = () => fail(reply, 409, `"${id}" is the active backend: switch to another one first (PUT /api/active)`);
    if (isActive()) return activeConflict();
    try {
      await store.update((c) => {
        if (c.active === id || deps.activeId?.() === id) throw new ActiveBackendError();
        c.backends = c.backends.filter((b) => b.id !== id);
        if (c.failover) c.failover = c.failover.filter((f) => f !== id);
        for (const b of c.backends) if (b.overflowTo === id) delete b.overflowTo;
      });
    } catch (err) {
      if (err instanceof ActiveBackendError) return activeConflict();
      const problem = configProblem(err);
      if (problem) return fail(reply, 400, problem);
      throw err;
    }
    await deps.forgetKey?.(id);
    return { deleted: id };
  });

  app.put('/api/failover', async (request, reply) => {
    const body = request.body;
    if (!isObject(body) || !Array.isArray(body.backends) || !body.backends.every((x) => typeof x === 'string')) {
      return fail(reply, 400, 'body must be {"backends": ["<id>", ...]} (an ordered list, possibly empty)');
    }
    try {
      const next = await store.update((c) => {
        c.failover = body.backends as string[];
      });
      return { failover: next.failover ?? [] };
    } catch (err) {
      const problem = configProblem(err);
      if (problem) return fail(reply, 400, problem);
      throw err;
    }
  });

  app.post<{ Params: { id: string } }>('/api/backends/:id/test', async (request, reply) => {
    const { id } = request.params;
    if (!store.config.backends.some((b) => b.id === id)) return fail(reply, 404, `no backend has id "${id}"`);
    return deps.diagnose(id);
  });
}
