/**
 * Every request passes this guard before anything else runs:
 * - `Host` must name the loopback (DNS-rebinding defence), else 403;
 * - a request carrying an `Origin` (a web page) is refused with 403 unless it is the proxy's own origin;
 * - `/api/*` needs `Authorization: Bearer <adminToken>`; client routes need the client token
 *   (`x-api-key` or `Authorization: Bearer`), else 401. `GET|HEAD /` is open (it reveals nothing).
 * Refusals are shaped in the caller's format.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from '../ir/errors';
import { isAdminPath, type Refuse } from './refusals';
import { bearerToken, tokensEqual } from './tokens';

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

/** A token, or a getter for one that can change at run time (rotation). */
export type TokenSource = string | (() => string);

export interface GuardOptions {
  clientToken: TokenSource;
  adminToken: TokenSource;
  /** Answers (and records) a refusal in the caller's format. */
  refuse: Refuse;
}

function current(token: TokenSource): string {
  return typeof token === 'function' ? token() : token;
}

export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host.trim());
}

export function createGuard({ refuse, ...tokens }: GuardOptions) {
  return async function guard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const path = request.url.split('?', 1)[0] ?? '';
    const isAdmin = isAdminPath(path);
    const host = request.headers.host;

    if (!isLoopbackHost(host)) {
      return refuse(request, reply, apiError('permission', 'requests must address the proxy by a loopback host name (127.0.0.1, localhost or [::1])'));
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin.toLowerCase() !== `http://${host!.toLowerCase()}`) {
      return refuse(request, reply, apiError('permission', 'cross-origin requests (from web pages) are refused'));
    }
    if (isAdmin) {
      const presented = bearerToken(request.headers.authorization);
      if (presented === undefined || !tokensEqual(presented, current(tokens.adminToken))) {
        return refuse(request, reply, apiError('authentication', 'the admin API needs Authorization: Bearer <admin token>'));
      }
      return;
    }
    if ((path === '/' || path === '') && (request.method === 'GET' || request.method === 'HEAD')) return;
    if (!hasClientToken(request, current(tokens.clientToken))) {
      return refuse(request, reply, apiError('authentication', 'missing or wrong proxy token: send the Patchbay client token as x-api-key or Authorization: Bearer'));
    }
  };
}

function hasClientToken(request: FastifyRequest, expected: string): boolean {
  const xApiKey = request.headers['x-api-key'];
  const candidates = [typeof xApiKey === 'string' ? xApiKey : undefined, bearerToken(request.headers.authorization)];
  // Compare every candidate (no early exit on the first mismatch).
  let ok = false;
  for (const c of candidates) if (c !== undefined && tokensEqual(c, expected)) ok = true;
  return ok;
}
