/**
 * Reports one client request's upstream attempts to the live stats: each attempt's start and
 * end (status, tokens), the upstream's rate-limit headers, retries and time in a queue.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { TokenCounts } from '../../log/request-entry';
import type { LiveStats } from '../../stats/live-stats';
import type { AttemptListener } from '../upstream/attempt-sender';

export class AttemptStats implements AttemptListener {
  private open: string | undefined;
  private status = 0;
  private queuedOn: string | undefined;

  constructor(private readonly stats: LiveStats | undefined) {}

  sent(backendId: string): void {
    this.end({});
    this.open = backendId;
    this.status = 0;
    this.stats?.attemptStarted(backendId);
  }

  answered(backendId: string, status: number, headers: IncomingHttpHeaders): void {
    this.status = status;
    this.stats?.observeHeaders(backendId, headers);
  }

  failed(status?: number): void {
    this.end({ ...(status !== undefined ? { status } : {}), failed: true });
  }

  /** The attempt whose answer was relayed is over (no-op when none is open). */
  finished(tokens: TokenCounts, failed: boolean): void {
    this.end({ status: this.status, tokens, failed });
  }

  queued(backendId: string): void {
    this.left();
    this.queuedOn = backendId;
    this.stats?.queueEntered(backendId);
  }

  /** Out of the queue (granted, refused or given up). */
  left(): void {
    if (this.queuedOn === undefined) return;
    this.stats?.queueLeft(this.queuedOn);
    this.queuedOn = undefined;
  }

  retried(backendId: string): void {
    this.stats?.retried(backendId);
  }

  private end(outcome: { status?: number; failed?: boolean; tokens?: TokenCounts }): void {
    if (this.open === undefined) return;
    const backendId = this.open;
    this.open = undefined;
    this.stats?.attemptEnded(backendId, outcome);
  }
}
