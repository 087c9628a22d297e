/**
 * Every request passes this guard before anything else runs:
 * - `Host` must name the loopback (DNS-rebinding defence), else 403;
 * - a request carrying an `Origin` (a web page) is refused with 403 unless it is the proxy's own origin;
 * - while the proxy is paused, model calls get a 503 saying so (app/proxy/proxy-pause.ts);
 * - `/api/*` needs `Authorization: Bearer <adminToken>`, or the dashboard's session cookie on a
 *   request from the dashboard's own origin (no foreign `Origin`, `Sec-Fetch-Site` same-origin
 *   when sent); client routes need the client token (`x-api-key` or `Authorization: Bearer`),
 *   else 401. The dashboard page and its assets (`GET|HEAD /`, `GET /assets/*`) are open: they
 *   hold no secret.
 * Refusals are shaped in the caller's format.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError, type ApiError } from '../ir/errors';
import fastifyCookie from '@fastify/cookie';
import { pausedRefusal } from './proxy-pause';
import { isAdminPath, type Refuse } from './refusals';
import { SESSION_COOKIE } from './web/dashboard-sessions';
import { bearerToken, tokensEqual } from './tokens';

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

/** A token, or a getter for one that can change at run time (rotation). */
export type TokenSource = string | (() => string);

export interface GuardOptions {
  clientToken: TokenSource;
  adminToken: TokenSource;
  /** Whether a dashboard session cookie value is a live session (no dashboard: none is). */
  isDashboardSession?: (value: string | undefined) => boolean;
  /** Answers (and records) a refusal in the caller's format. */
  refuse: Refuse;
  /** While true, model calls are refused with the paused answer (app/proxy/proxy-pause.ts). */
  isPaused?: () => boolean;
}

function current(token: TokenSource): string {
  return typeof token === 'function' ? token() : token;
}

export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host.trim());
}

/** What the guard looks at: the method, the URL and the headers of a request. */
export interface GuardedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/**
 * The guard's verdict on a request: the refusal to answer, or undefined when it may go on. Shared
 * by fastify's hook (createGuard) and the model-call lane (model-call-lane.ts).
 */
export function createAccessCheck({ isDashboardSession, isPaused, ...tokens }: Omit<GuardOptions, 'refuse'>) {
  return function checkAccess(request: GuardedRequest): ApiError | undefined {
    const path = request.url.split('?', 1)[0] ?? '';
    const isAdmin = isAdminPath(path);
    const host = request.headers.host;

    if (!isLoopbackHost(host)) {
      return apiError('permission', 'requests must address the proxy by a loopback host name (127.0.0.1, localhost or [::1])');
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin.toLowerCase() !== `http://${host!.toLowerCase()}`) {
      return apiError('permission', 'cross-origin requests (from web pages) are refused');
    }
    if (isAdmin) {
      const presented = bearerToken(request.headers.authorization);
      if (presented !== undefined ? tokensEqual(presented, current(tokens.adminToken)) : isDashboardRequest(request, isDashboardSession)) return undefined;
      return apiError('authentication', 'the admin API needs Authorization: Bearer <admin token> (or the dashboard, signed in with its login link)');
    }
    if (isOpenPage(path, request.method)) return undefined;
    if (!hasClientToken(request, current(tokens.clientToken))) {
      return apiError('authentication', 'missing or wrong proxy token: send the Patchbay client token as x-api-key or Authorization: Bearer');
    }
    // Model calls are POSTs; listing the models stays open while paused.
    if (request.method === 'POST' && isPaused?.()) return pausedRefusal();
    return undefined;
  };
}

/** The guard as fastify's onRequest hook: a refusal is answered (and recorded) in the caller's format. */
export function createGuard({ refuse, ...options }: GuardOptions) {
  const checkAccess = createAccessCheck(options);
  return async function guard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const refusal = checkAccess(request);
    if (refusal) return refuse(request, reply, refusal);
  };
}

function hasClientToken(request: GuardedRequest, expected: string): boolean {
  const xApiKey = request.headers['x-api-key'];
  const candidates = [typeof xApiKey === 'string' ? xApiKey : undefined, bearerToken(request.headers.authorization)];
  // Compare every candidate (no early exit on the first mismatch).
  let ok = false;
  for (const c of candidates) if (c !== undefined && tokensEqual(c, expected)) ok = true;
  return ok;
}

/** The dashboard page and its assets: no secret in them. */
function isOpenPage(path: string, method: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  return path === '/' || path === '' || path === '/favicon.ico' || path.startsWith('/assets/');
}

/**
 * A dashboard call: a live session cookie, sent by the page itself. A foreign `Origin` was refused
 * already; browsers also say `Sec-Fetch-Site`, which must then be same-origin (SameSite=Strict
 * keeps the cookie off cross-site requests too).
 */
function isDashboardRequest(request: GuardedRequest, isDashboardSession: GuardOptions['isDashboardSession']): boolean {
  if (!isDashboardSession) return false;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const cookies = request.headers.cookie;
  return cookies !== undefined && isDashboardSession(fastifyCookie.parse(cookies)[SESSION_COOKIE]);
}
