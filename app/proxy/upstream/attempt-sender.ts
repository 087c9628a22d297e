/**
 * The upstream sender of one attempt. It reports the attempt (sent, answered, failed) and,
 * when retries are on, turns a retryable answer (429, 500, 502, 503, 504, 529) or a
 * connection failure into a RetryableUpstreamFailure, as long as no content reached the
 * client yet. Any other answer is handed to the path as usual.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiErrorException } from '../../ir/errors';
import { RETRYABLE_STATUSES } from '../../limits/retry-policy';
import { codecFor } from '../codec-for';
import { connectionError, type UpstreamCall, type UpstreamClient, type UpstreamResponse, type UpstreamSender } from './upstream-client';
import { readUpstreamError } from './upstream-error-body';
import { RetryableUpstreamFailure } from './retryable-failure';

/** Who hears about the attempt (live stats). */
export interface AttemptListener {
  sent(backendId: string): void;
  answered(backendId: string, status: number, headers: IncomingHttpHeaders): void;
  /** The attempt is over without an accepted answer (status when there was one). */
  failed(status?: number): void;
}

export interface AttemptSenderOptions {
  /** Turn retryable failures into RetryableUpstreamFailure (false: answer them as they are). */
  retrying: boolean;
  /** False once content reached the client. */
  canRetry: () => boolean;
  listener: AttemptListener;
}

export class AttemptSender implements UpstreamSender {
  constructor(
    private readonly client: UpstreamClient,
    private readonly options: AttemptSenderOptions,
  ) {}

  async send(call: UpstreamCall): Promise<UpstreamResponse> {
    const { listener } = this.options;
    listener.sent(call.backend.id);
    let response: UpstreamResponse;
    try {
      response = await this.client.sendRaw(call);
    } catch (err) {
      if (call.signal.aborted) throw err; // the client left: not the backend's failure
      listener.failed();
      const error = connectionError(call.backend, err, call.key, 'before');
      if (this.retryable()) throw new RetryableUpstreamFailure(error, undefined, undefined, err);
      throw new ApiErrorException(error);
    }
    listener.answered(call.backend.id, response.statusCode, response.headers);
    if (!RETRYABLE_STATUSES.has(response.statusCode) || !this.retryable()) return response;
    const { error } = await readUpstreamError(response, codecFor(call.backend.format), call.key);
    listener.failed(response.statusCode);
    throw new RetryableUpstreamFailure(error, response.statusCode, response.headers);
  }

  private retryable(): boolean {
    return this.options.retrying && this.options.canRetry();
  }
}
