/**
 * One upstream call of a request's attempt (the body is read with app/proxy/upstream/http-post.ts).
 *
 * `sendUpstream` reports the attempt to the request's record (live stats), and turns a retryable
 * answer (429, 500, 502, 503, 504, 529) or a connection failure into a RetryableUpstreamFailure
 * for the policy, as long as no content reached the client. Any other refusal is read and
 * decoded with the backend's codec; one that only says prompt + max_tokens overflow the context
 * window (the prompt itself fits) gets the same request once more with a max_tokens that fits
 * (app/proxy/adapt/refit-max-tokens.ts).
 */
import { ApiErrorException } from '../../ir/errors';
import { RETRYABLE_STATUSES } from '../../limits/retry-policy';
import { refitMaxTokens } from '../adapt/refit-max-tokens';
import { codecFor } from '../../codecs/registry';
import { connectionError, type UpstreamResponse } from '../upstream/upstream-client';
import { readUpstreamError, type UpstreamErrorBody } from '../upstream/upstream-error-body';
import { RetryableUpstreamFailure } from '../upstream/retryable-failure';
import { upstreamHeaders, upstreamUrl } from '../upstream/upstream-target';
import type { Json, Operation, ProxyRequest } from './proxy-request';

export type UpstreamOutcome =
  | { ok: true; response: UpstreamResponse }
  | { ok: false; response: UpstreamResponse; refusal: UpstreamErrorBody };

export interface SendOptions {
  operation: Operation;
  /** Answers this returns true for are handed back unread (the caller deals with them). */
  keepUnread?: (response: UpstreamResponse) => boolean;
}

export async function sendUpstream(req: ProxyRequest, body: Json, { operation, keepUnread }: SendOptions): Promise<UpstreamOutcome> {
  let response = await sendOnce(req, body, operation);
  if (response.statusCode < 400 || keepUnread?.(response)) return { ok: true, response };
  const refusal = await readUpstreamError(response, codecFor(req.backend.format), req.key);
  const smaller = operation === 'chat' ? refitMaxTokens(body, refusal.error) : undefined;
  if (!smaller) return { ok: false, response, refusal };

  req.log.info({ backend: req.backend.id, maxTokens: smaller.max_tokens ?? smaller.max_completion_tokens }, 'max_tokens lowered to fit the context window');
  req.record.upstreamRequest(smaller);
  response = await sendOnce(req, smaller, operation);
  if (response.statusCode < 400) return { ok: true, response };
  return { ok: false, response, refusal: await readUpstreamError(response, codecFor(req.backend.format), req.key) };
}

async function sendOnce(req: ProxyRequest, body: Json, operation: Operation): Promise<UpstreamResponse> {
  const { backend, key, record } = req;
  const url = upstreamUrl(backend, operation);
  if (url === undefined) throw new Error(`backend "${backend.id}" (${backend.format}) has no ${operation} operation`);
  const retryable = !req.client.hasContent;
  record.attemptSent(backend.id);
  let response: UpstreamResponse;
  try {
    response = await req.deps.upstream.send({
      backend,
      url,
      headers: upstreamHeaders(backend, key, req.headers),
      body,
      signal: req.signal,
    });
  } catch (err) {
    if (req.signal.aborted) throw err; // the client left: not the backend's failure
    record.attemptFailed();
    const error = connectionError(backend, err, key, 'before');
    if (retryable) throw new RetryableUpstreamFailure(error, undefined, undefined, err);
    throw new ApiErrorException(error);
  }
  record.attemptAnswered(backend.id, response.statusCode, response.headers);
  req.deps.policy.limiter.observeHeaders(backend.id, response.headers);
  if (!RETRYABLE_STATUSES.has(response.statusCode) || !retryable) return response;
  const { error } = await readUpstreamError(response, codecFor(backend.format), key);
  record.attemptFailed(response.statusCode);
  throw new RetryableUpstreamFailure(error, response.statusCode, response.headers);
}
