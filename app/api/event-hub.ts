/**
 * The admin API's events for its subscribers: `stats` (live numbers, coalesced by LiveStats),
 * `stateChanged` (after config, active, key or token changes; coalesced to one read per turn
 * of the event loop), `requestStarted` / `requestUpdated` / `requestFinished` from the request
 * log (updates of one request coalesced to one per `updateIntervalMs`). A new subscriber gets
 * the current stats at once. Sources are followed only while someone listens.
 */
import type { RequestLog } from '../log/request-log';
import type { ListedSummary } from '../log/log-index';
import type { LiveStats } from '../stats/live-stats';
import type { AdminEvent, EventListener, State } from './contract';

export interface EventSources {
  stats: Pick<LiveStats, 'snapshot' | 'subscribe'>;
  log?: Pick<RequestLog, 'onEntry'>;
  /** Calls `changed` whenever backends, active, failover or keys may have changed; returns an unsubscribe. */
  watchState?: (changed: () => void) => () => void;
  readState?: () => Promise<State>;
  /** Default 100 ms. */
  updateIntervalMs?: number;
}

export class EventHub {
  private readonly listeners = new Set<EventListener>();
  private detach: Array<() => void> = [];
  private stateQueued = false;
  private readonly pendingUpdates = new Map<string, ListedSummary>();
  private updateTimer: NodeJS.Timeout | undefined;

  constructor(private readonly sources: EventSources) {}

  subscribe(listener: EventListener): () => void {
    if (this.listeners.size === 0) this.attach();
    this.listeners.add(listener);
    this.deliver(listener, { type: 'stats', data: this.sources.stats.snapshot() });
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0) this.release();
    };
  }

  /** Something the state shows changed (a key set, a token rotated): subscribers get the new state. */
  stateChanged(): void {
    if (this.stateQueued || this.listeners.size === 0 || !this.sources.readState) return;
    this.stateQueued = true;
    setImmediate(() => {
      this.stateQueued = false;
      if (this.listeners.size === 0) return;
      this.sources.readState!().then(
        (data) => this.emit({ type: 'stateChanged', data }),
        () => undefined, // the next change sends it again
      );
    });
  }

  private attach(): void {
    const { stats, log, watchState } = this.sources;
    this.detach.push(stats.subscribe((data) => this.emit({ type: 'stats', data })));
    if (watchState) this.detach.push(watchState(() => this.stateChanged()));
    if (log) {
      this.detach.push(
        log.onEntry(({ type, summary }) => {
          if (type === 'started') this.emit({ type: 'requestStarted', data: summary });
          else if (type === 'finished') {
            this.pendingUpdates.delete(summary.id);
            this.emit({ type: 'requestFinished', data: summary });
          } else this.queueUpdate(summary);
        }),
      );
    }
  }

  private release(): void {
    for (const off of this.detach) off();
    this.detach = [];
    this.pendingUpdates.clear();
    if (this.updateTimer) clearTimeout(this.updateTimer);
    this.updateTimer = undefined;
  }

  private queueUpdate(summary: ListedSummary): void {
    this.pendingUpdates.set(summary.id, summary);
    if (this.updateTimer) return;
    this.updateTimer = setTimeout(() => {
      this.updateTimer = undefined;
      const updates = [...this.pendingUpdates.values()];
      this.pendingUpdates.clear();
      for (const data of updates) this.emit({ type: 'requestUpdated', data });
    }, this.sources.updateIntervalMs ?? 100);
    this.updateTimer.unref();
  }

  private emit(event: AdminEvent): void {
    for (const listener of [...this.listeners]) this.deliver(listener, event);
  }

  private deliver(listener: EventListener, event: AdminEvent): void {
    try {
      listener(event);
    } catch {
      /* one subscriber's failure is not the others' */
    }
  }
}
