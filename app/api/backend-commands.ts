/**
 * Backend commands: presets, add (fields or `{ preset, id, ... }`), merge-edit, replace,
 * remove (never the active one; its keychain entry, failover entry and the `overflowTo`s
 * naming it go too), failover order, and the diagnosis. Every edit goes through the
 * ConfigStore (validated as a whole, written atomically); refusals name the field.
 */
import { PRESETS } from '../config/presets';
import type { BackendConfig } from '../config/schema';
import type { ConfigStore } from '../config/store';
import { conflict, configRefused, invalid, noBackend, parseInput } from './api-error';
import { backendView, type KeyStatusReader } from './backend-view';
import { COMMANDS, type AdminCommands, type BackendView, type Diagnosis } from './contract';

export interface BackendDeps {
  store: ConfigStore;
  keyStatus: KeyStatusReader;
  /** Remove a deleted backend's keychain entry (so no orphan key stays behind). */
  forgetKey?(backendId: string): Promise<void>;
  diagnose(backendId: string): Promise<Diagnosis>;
  /** The backend serving requests right now (may be ahead of the saved config by a moment). */
  activeId?(): string;
}

type BackendCommandNames = 'listPresets' | 'addBackend' | 'editBackend' | 'replaceBackend' | 'removeBackend' | 'setFailover' | 'testBackend';

class ActiveBackendError extends Error {}

const FIELDS_HINT = 'input must be an object of backend fields';

export function backendCommands(deps: BackendDeps): Pick<AdminCommands, BackendCommandNames> {
  const { store } = deps;
  const view = (b: BackendConfig): Promise<BackendView> => backendView(b, deps.keyStatus);
  const requireBackend = (id: string): number => {
    const index = store.config.backends.findIndex((b) => b.id === id);
    if (index < 0) throw noBackend(id);
    return index;
  };

  /** Apply an edit; a validation refusal becomes invalid_request naming the field. */
  const save = async (edit: Parameters<ConfigStore['update']>[0], backendIndex?: number) => {
    try {
      return await store.update(edit);
    } catch (err) {
      throw configRefused(err, backendIndex) ?? err;
    }
  };

  const edit = (merge: boolean) => async (input: unknown) => {
    const { id, fields } = parseInput(COMMANDS.editBackend.input, input, 'input must be {"id": "<backend id>", "fields": {...}}');
    if (fields.id !== undefined && fields.id !== id) throw invalid(`id: a backend's id cannot change (path says "${id}", body says "${String(fields.id)}")`, 'id');
    const index = requireBackend(id);
    const next = await save((c) => {
      const replacement = merge ? { ...c.backends[index], ...fields, id } : { ...fields, id };
      c.backends[index] = replacement as BackendConfig;
    }, index);
    return view(next.backends[index]!);
  };

  return {
    listPresets: async () => ({ presets: [...PRESETS] }),

    addBackend: async (input) => {
      const { preset, ...fields } = parseInput(COMMANDS.addBackend.input, input, `${FIELDS_HINT} (or {"preset": "<id>", "id": "<new id>", ...})`);
      let candidate: Record<string, unknown> = { apiKey: 'keychain', ...fields };
      if (preset !== undefined) {
        const base = PRESETS.find((p) => p.id === preset);
        if (!base) throw invalid(`preset: unknown preset "${String(preset)}" (known: ${PRESETS.map((p) => p.id).join(', ')})`, 'preset');
        candidate = { ...base, apiKey: 'keychain', ...fields };
        // A preset's overflow backend may not exist in this config.
        if (fields.overflowTo === undefined && !store.config.backends.some((b) => b.id === candidate.overflowTo)) delete candidate.overflowTo;
      }
      const id = candidate.id;
      if (typeof id === 'string' && store.config.backends.some((b) => b.id === id)) {
        throw conflict(`a backend with id "${id}" exists already; edit it with PUT /api/backends/${id}`, 'id');
      }
      const index = store.config.backends.length;
      const next = await save((c) => {
        c.backends.push(candidate as BackendConfig);
      }, index);
      return view(next.backends.find((b) => b.id === id)!);
    },

    editBackend: edit(true),
    replaceBackend: edit(false),

    removeBackend: async (input) => {
      const { id } = parseInput(COMMANDS.removeBackend.input, input, 'input must be {"id": "<backend id>"}');
      requireBackend(id);
      const isActive = (active: string) => active === id || deps.activeId?.() === id;
      const activeConflict = () => conflict(`"${id}" is the active backend: switch to another one first (PUT /api/active)`);
      if (isActive(store.config.active)) throw activeConflict();
      try {
        await save((c) => {
          if (isActive(c.active)) throw new ActiveBackendError();
          c.backends = c.backends.filter((b) => b.id !== id);
          if (c.failover) c.failover = c.failover.filter((f) => f !== id);
          for (const b of c.backends) if (b.overflowTo === id) delete b.overflowTo;
        });
      } catch (err) {
        if (err instanceof ActiveBackendError) throw activeConflict();
        throw err;
      }
      await deps.forgetKey?.(id);
      return { deleted: id };
    },

    setFailover: async (input) => {
      const { backends } = parseInput(COMMANDS.setFailover.input, input, 'input must be {"backends": ["<id>", ...]} (an ordered list, possibly empty)');
      const next = await save((c) => {
        c.failover = backends;
      });
      return { failover: next.failover ?? [] };
    },

    testBackend: async (input) => {
      const { id } = parseInput(COMMANDS.testBackend.input, input, 'input must be {"id": "<backend id>"}');
      requireBackend(id);
      return deps.diagnose(id);
    },
  };
}
