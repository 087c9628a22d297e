/**
 * Pause and resume the proxy from the tray or the dashboard. While paused, model calls are
 * answered at once as "overloaded" in the client's own format (503; 529 `overloaded_error` for
 * Anthropic clients) that says so, with a short Retry-After: agents retry these with backoff
 * (docs/client-retries.md), so a session paused
 * for a moment picks up again by itself on resume, and nothing reaches an upstream meanwhile.
 * Not saved: a restarted Patchbay serves.
 */
import type { ApiError } from '../ir/errors';

export class ProxyPause {
  private value = false;
  private readonly listeners = new Set<(paused: boolean) => void>();

  get paused(): boolean {
    return this.value;
  }

  set(paused: boolean): void {
    if (paused === this.value) return;
    this.value = paused;
    for (const listener of this.listeners) listener(paused);
  }

  onChange(listener: (paused: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Seconds an agent is asked to wait before trying a paused proxy again. */
export const PAUSED_RETRY_AFTER_SECONDS = 5;

export function pausedRefusal(): ApiError {
  return {
    kind: 'overloaded',
    status: 503,
    message: 'Patchbay is paused: resume it from the tray menu or the dashboard (no request reaches a backend while paused)',
    retryAfterSeconds: PAUSED_RETRY_AFTER_SECONDS,
  };
}
