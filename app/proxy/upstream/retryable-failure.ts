/**
 * An upstream attempt that failed in a way worth trying again (429, 5xx, 529, connection
 * failure) before any content reached the client. Carries the error to answer with if no
 * later attempt succeeds, already decoded (upstream wording) and scrubbed of the key.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiError } from '../../ir/errors';

export class RetryableUpstreamFailure extends Error {
  constructor(
    readonly apiError: ApiError,
    /** The upstream's status, when it answered. */
    readonly status?: number,
    readonly headers?: IncomingHttpHeaders,
    /** The transport error, when it did not answer (kept for the retry policy's classification). */
    cause?: unknown,
  ) {
    super(apiError.message, cause === undefined ? undefined : { cause });
    this.name = 'RetryableUpstreamFailure';
  }
}
