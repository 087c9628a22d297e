/**
 * The set of configured backends and which one is active. The active backend can be
 * switched at runtime (admin API, tray); a switch affects requests that start afterwards.
 */
import { EventEmitter } from 'node:events';
import type { BackendConfig, PatchbayConfig } from '../config/schema';

export class BackendNotFoundError extends Error {
  constructor(readonly backendId: string) {
    super(`no backend has id "${backendId}"`);
    this.name = 'BackendNotFoundError';
  }
}

export interface ActiveChange {
  previous: string;
  active: string;
}

export class BackendRegistry {
  private readonly byId = new Map<string, BackendConfig>();
  private readonly events = new EventEmitter();
  private activeId: string;

  constructor(backends: readonly BackendConfig[], activeId: string) {
    for (const backend of backends) this.byId.set(backend.id, backend);
    if (!this.byId.has(activeId)) throw new BackendNotFoundError(activeId);
    this.activeId = activeId;
  }

  static fromConfig(config: PatchbayConfig): BackendRegistry {
    return new BackendRegistry(config.backends, config.active);
  }

  list(): BackendConfig[] {
    return [...this.byId.values()];
  }

  get(id: string): BackendConfig | undefined {
    return this.byId.get(id);
  }

  get active(): BackendConfig {
    // The constructor and setActive only ever store known ids.
    return this.byId.get(this.activeId)!;
  }

  setActive(id: string): BackendConfig {
    const backend = this.byId.get(id);
    if (!backend) throw new BackendNotFoundError(id);
    const previous = this.activeId;
    this.activeId = id;
    if (previous !== id) this.events.emit('change', { previous, active: id } satisfies ActiveChange);
    return backend;
  }

  /**
   * Replace the whole set (config edited). Requests in flight keep the backend object they
   * resolved. Emits 'change' only when the active backend changes.
   */
  replace(backends: readonly BackendConfig[], activeId: string): void {
    const next = new Map(backends.map((b) => [b.id, b] as const));
    if (!next.has(activeId)) throw new BackendNotFoundError(activeId);
    this.byId.clear();
    for (const [id, b] of next) this.byId.set(id, b);
    const previous = this.activeId;
    this.activeId = activeId;
    if (previous !== activeId) this.events.emit('change', { previous, active: activeId } satisfies ActiveChange);
  }

  /** Subscribe to active-backend switches; returns an unsubscribe function. */
  on(event: 'change', listener: (change: ActiveChange) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }
}
