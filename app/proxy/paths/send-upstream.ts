/**
 * Sends a path's upstream request and reads a refusal. A refusal that only says prompt +
 * max_tokens overflow the context window (the prompt itself fits) gets the same request once
 * more with a max_tokens that fits (app/proxy/adapt/refit-max-tokens.ts).
 */
import { refitMaxTokens } from '../adapt/refit-max-tokens';
import { codecFor } from '../codec-for';
import type { UpstreamResponse } from '../upstream/upstream-client';
import { readUpstreamError, type UpstreamErrorBody } from '../upstream/upstream-error-body';
import { upstreamHeaders, upstreamUrl, type UpstreamOperation } from '../upstream/upstream-target';
import type { Exchange, Json } from './exchange';

export type UpstreamOutcome =
  | { ok: true; response: UpstreamResponse }
  | { ok: false; response: UpstreamResponse; refusal: UpstreamErrorBody };

export interface SendOptions {
  operation: UpstreamOperation;
  /** Answers this returns true for are handed back unread (the caller deals with them). */
  keepUnread?: (response: UpstreamResponse) => boolean;
}

export async function sendUpstream(ex: Exchange, body: Json, { operation, keepUnread }: SendOptions): Promise<UpstreamOutcome> {
  const send = (upstreamBody: Json) =>
    ex.upstream.send({
      backend: ex.backend,
      url: upstreamUrl(ex.backend, operation),
      headers: upstreamHeaders(ex.backend, ex.key, ex.clientHeaders),
      body: upstreamBody,
      signal: ex.signal,
      key: ex.key,
    });
  const read = (response: UpstreamResponse) => readUpstreamError(response, codecFor(ex.backend.format), ex.key);

  let response = await send(body);
  if (response.statusCode < 400 || keepUnread?.(response)) return { ok: true, response };
  const refusal = await read(response);
  const smaller = operation === 'chat' ? refitMaxTokens(body, refusal.error) : undefined;
  if (!smaller) return { ok: false, response, refusal };

  ex.log.info({ backend: ex.backend.id, maxTokens: smaller.max_tokens ?? smaller.max_completion_tokens }, 'max_tokens lowered to fit the context window');
  ex.observer.upstreamRequest(smaller);
  response = await send(smaller);
  if (response.statusCode < 400) return { ok: true, response };
  return { ok: false, response, refusal: await read(response) };
}
