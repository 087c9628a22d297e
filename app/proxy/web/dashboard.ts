/**
 * The dashboard as a local web page (`patchbay serve`): the built UI (dist/ui, `npm run build:ui`)
 * at `/` with a strict CSP, and the login that gives a browser its session:
 * `GET /?login=<code>` sets the session cookie and redirects to `/`, dropping the code from the
 * address bar. Assets and the page itself hold no secret; the admin API they call needs the
 * session cookie from this page's own origin (app/proxy/guard.ts) or the admin token.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SESSION_COOKIE, SESSION_MAX_AGE_S, type DashboardSessions } from './dashboard-sessions';

/** No inline script, nothing from elsewhere: the page talks to this proxy only. */
export const DASHBOARD_CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
};

/** A Content-Security-Policy header value from its directives. */
export function cspText(directives: Readonly<Record<string, string>>): string {
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

export const DASHBOARD_CSP = cspText(DASHBOARD_CSP_DIRECTIVES);

const PAGE_HEADERS = {
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Where the built UI is: beside the bundle (dist/ui) or, running the sources, <repo>/dist/ui. */
export function defaultUiDir(): string | undefined {
  const here = import.meta.dirname;
  return [resolve(here, 'ui'), resolve(here, '../../../dist/ui')].find((dir) => existsSync(join(dir, 'index.html')));
}

export interface DashboardOptions {
  sessions: DashboardSessions;
  /** The built UI; without one `/` says how to build it. */
  uiDir: string | undefined;
}

export async function registerDashboard(app: FastifyInstance, { sessions, uiDir }: DashboardOptions): Promise<void> {
  await app.register(fastifyCookie);
  if (uiDir) {
    // Loaded only when there is a UI to serve (it brings glob, send and mime along).
    const { default: fastifyStatic } = await import('@fastify/static');
    await app.register(fastifyStatic, {
      root: join(uiDir, 'assets'),
      prefix: '/assets/',
      index: false,
      setHeaders: (reply) => {
        for (const [name, value] of Object.entries(PAGE_HEADERS)) if (name !== 'cache-control') reply.raw.setHeader(name, value);
      },
    });
  }
  const page = uiDir ? readFileSync(join(uiDir, 'index.html'), 'utf8') : notBuiltPage();

  // Browsers ask for it whatever the page says: an empty answer, not a refusal in the request log.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).header('cache-control', 'max-age=86400').send());

  app.get<{ Querystring: { login?: string } }>('/', async (request, reply) => {
    const code = request.query.login;
    if (code !== undefined) return login(reply, sessions.redeem(code));
    // Browsers get the page; tools (and Claude Code's probe) get a line saying what is here.
    if (!request.headers.accept?.includes('text/html')) return { name: 'patchbay', ok: true };
    return reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(page);
  });
}

function login(reply: FastifyReply, session: string | undefined): FastifyReply {
  if (!session) {
    return reply
      .code(403)
      .headers(PAGE_HEADERS)
      .type('text/html; charset=utf-8')
      .send(
        htmlPage(
          'This login link is used up or wrong',
          'Each link works once. Restarting <code>patchbay serve</code> prints a new one; while it runs, <code>POST /api/dashboard/login-link</code> with the admin token makes one.',
        ),
      );
  }
  return reply
    .setCookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: SESSION_MAX_AGE_S })
    .headers(PAGE_HEADERS)
    .redirect('/', 303);
}

function notBuiltPage(): string {
  return htmlPage('Patchbay is running', 'The dashboard is not built in this checkout: run <code>npm run build:ui</code> (or <code>npm install</code>) and restart <code>patchbay serve</code>.');
}

function htmlPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${body}</p></body></html>`;
}

/** `POST /api/dashboard/login-link` (admin token or a session): a fresh one-time login link. */
export function registerLoginLinkRoute(app: FastifyInstance, sessions: DashboardSessions): void {
  app.post('/api/dashboard/login-link', async (request) => {
    const host = request.headers.host ?? '127.0.0.1';
    return { url: `http://${host}/?login=${sessions.loginCode}` };
  });
}
