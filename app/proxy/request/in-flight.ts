/**
 * The model calls being served, so that closing the engine can let them finish and cut the
 * rest: `drain(graceMs)` waits until none is left or the grace ends, then cuts each one left;
 * a cut request ends with an "overloaded" error in its client's format (an error event when
 * its stream had begun), which agents retry once Patchbay is back, and its log entry is closed.
 */
import { apiError, ApiErrorException } from '../../ir/errors';

/** The abort reason of a request cut by the engine closing. */
export const SHUTTING_DOWN = new ApiErrorException(
  apiError('overloaded', 'Patchbay is shutting down: this request was cut; send it again once Patchbay is running', { status: 503 }),
);

export class InFlightRequests {
  private readonly cuts = new Set<() => void>();
  private emptied: Array<() => void> = [];

  get size(): number {
    return this.cuts.size;
  }

  /** Track one request; `cut` aborts it with SHUTTING_DOWN. Returns its untrack function. */
  add(cut: () => void): () => void {
    this.cuts.add(cut);
    return () => {
      if (!this.cuts.delete(cut) || this.cuts.size > 0) return;
      const waiting = this.emptied;
      this.emptied = [];
      for (const resolve of waiting) resolve();
    };
  }

  /** Resolves once every request has ended, cutting those still running after `graceMs`. */
  async drain(graceMs: number): Promise<{ finished: number; cut: number }> {
    const before = this.cuts.size;
    if (before === 0) return { finished: 0, cut: 0 };
    let timer: NodeJS.Timeout | undefined;
    const empty = new Promise<void>((resolve) => this.emptied.push(resolve));
    await Promise.race([empty, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    const cut = this.cuts.size;
    for (const c of [...this.cuts]) c();
    // A cut request ends within a turn or two; never let one hold the close up for long.
    if (this.cuts.size > 0) await Promise.race([empty, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
    return { finished: before - cut, cut };
  }
}
