/** The limiter's refusal: the request would wait in a backend's queue longer than allowed. */
export class QueueTimeoutError extends Error {
  constructor(
    readonly backendId: string,
    /** When a retry could start, rounded up to whole seconds (at least 1): the `retry-after` to answer with. */
    readonly retryAfterSeconds: number,
    /** How long the request had waited when refused (0 when refused up-front). */
    readonly waitedMs: number,
  ) {
    super(
      `backend "${backendId}" is at its request rate limit; ` +
        `${waitedMs > 0 ? `gave up after ${Math.round(waitedMs / 1000)} s in its queue, ` : ''}retry in ${retryAfterSeconds} s`,
    );
    this.name = 'QueueTimeoutError';
  }
}

export function isQueueTimeoutError(error: unknown): error is QueueTimeoutError {
  return error instanceof QueueTimeoutError;
}
