/** Thrown by callWithRetries when the last backend tried ended in a failure it gives up on. */
import type { AttemptFailure, RetryStopReason } from './retry-policy';

export class UpstreamFailedError extends Error {
  constructor(
    /** The backend of the last attempt. */
    readonly backend: string,
    /** The last attempt's failure as the caller reported it (status, headers, error). */
    readonly failure: AttemptFailure,
    /** Why it was not retried there. */
    readonly reason: RetryStopReason,
    /** Attempts made over all backends. */
    readonly attempts: number,
  ) {
    super(describe(backend, failure, reason), failure.error === undefined ? undefined : { cause: failure.error });
    this.name = 'UpstreamFailedError';
  }
}

function describe(backend: string, failure: AttemptFailure, reason: RetryStopReason): string {
  const what =
    failure.status !== undefined
      ? `status ${failure.status}`
      : failure.error instanceof Error
        ? failure.error.message
        : 'failure';
  return `backend "${backend}" failed (${what}); not retried: ${reason.replace(/_/g, ' ')}`;
}
