/**
 * Backend commands: presets, add (fields or `{ preset, id, ... }`), merge-edit, replace,
 * remove (never the active one; its keychain entry, failover entry and the `overflowTo`s
 * naming it go too), failover order, and the diagnosis. Every edit goes through the
 * ConfigStore (validated as a whole, written atomically); refusals name the field.
 */
import { PRESETS } from '../config/presets';
import type { BackendConfig, PatchbayConfig } from '../config/schema';
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

  /**
   * Apply an edit; a validation refusal becomes invalid_request naming the field. The edit runs
   * in the store's queue on the latest config, so every lookup (by id, never by an index taken
   * before) happens inside it: concurrent edits cannot move a backend under another's feet.
   * `edit` reports the index of the backend it touched, to name the refused field.
   */
  const save = async (edit: (draft: PatchbayConfig, touched: (index: number) => void) => void) => {
    let backendIndex: number | undefined;
    try {
      return await store.update((c) =>
        edit(c, (i) => {
          backendIndex = i;
        }),
      );
    } catch (err) {
      throw configRefused(err, backendIndex) ?? err;
    }
  };
  const indexIn = (c: PatchbayConfig, id: string): number => {
    const index = c.backends.findIndex((b) => b.id === id);
    if (index < 0) throw noBackend(id);
    return index;
  };

  const edit = (merge: boolean) => async (input: unknown) => {
    const { id, fields } = parseInput(COMMANDS.editBackend.input, input, 'input must be {"id": "<backend id>", "fields": {...}}');
    if (fields.id !== undefined && fields.id !== id) throw invalid(`id: a backend's id cannot change (path says "${id}", body says "${String(fields.id)}")`, 'id');
    requireBackend(id);
    const next = await save((c, touched) => {
      const index = indexIn(c, id);
      touched(index);
      const replacement = merge ? { ...c.backends[index], ...fields, id } : { ...fields, id };
      c.backends[index] = replacement as BackendConfig;
    });
    return view(next.backends.find((b) => b.id === id)!);
  };

  return {
    listPresets: async () => ({ presets: [...PRESETS] }),

    addBackend: async (input) => {
      const { preset, ...fields } = parseInput(COMMANDS.addBackend.input, input, `${FIELDS_HINT} (or {"preset": "<id>", "id": "<new id>", ...})`);
      let candidate: Record<string, unknown> = { apiKey: 'keychain', ...fields };
      if (preset !== undefined) {
        const base = PRESETS.find((p) => p.id === preset);
        if (!base) throw invalid(`preset: unknown preset "${String(preset)}" (known: ${PRESETS.map((p) => p.id).join(', ')})`, 'preset');
        // A preset's overflow backend may not exist in this config (checked in the edit below).
        candidate = { ...base, apiKey: 'keychain', ...fields };
      }
      const id = candidate.id;
      const exists = (c: PatchbayConfig) => typeof id === 'string' && c.backends.some((b) => b.id === id);
      const duplicate = () => conflict(`a backend with id "${String(id)}" exists already; edit it with PUT /api/backends/${String(id)}`, 'id');
      if (exists(store.config)) throw duplicate();
      const next = await save((c, touched) => {
        // Checked again on the latest config: another add of the same id may have landed meanwhile.
        if (exists(c)) throw duplicate();
        if (preset !== undefined && fields.overflowTo === undefined && !c.backends.some((b) => b.id === candidate.overflowTo)) delete candidate.overflowTo;
        touched(c.backends.length);
        c.backends.push(candidate as BackendConfig);
      });
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
          indexIn(c, id); // a concurrent remove of the same backend got there first: 404
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
