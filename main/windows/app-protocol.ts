/**
 * `app://patchbay/…`: the built UI (dist/ui, `npm run build:ui`) as a privileged standard scheme,
 * so the window's page has a real origin (the IPC host checks it), relative assets resolve, and
 * nothing is loaded from file:// (which would reach the whole disk). Every answer carries the
 * renderer's CSP; `/` is index.html; only files inside the UI folder are served (`..` in any
 * spelling, encoded separators, NUL, symlinks out of the folder: 404).
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { CustomScheme } from 'electron';
import { RENDERER_CSP } from '../security/content-security-policy';

export const APP_SCHEME = 'app';
export const APP_HOST = 'patchbay';
export const APP_ORIGIN = 'app://patchbay';

/** The part of Electron's protocol module used before `ready`. */
export interface SchemeRegistrarLike {
  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void;
}

/** The part of Electron's protocol module (or a session's) used after `ready`. */
export interface ProtocolHandlerLike {
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/**
 * Before `ready`: standard (relative URLs, an origin) and secure (a secure context, like https);
 * fetch allowed for the page's own files. Not corsEnabled (other origins cannot read it), no CSP
 * bypass.
 */
export function registerAppScheme(protocolApi: SchemeRegistrarLike): void {
  protocolApi.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const BASE_HEADERS = {
  'content-security-policy': RENDERER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const answer = (status: number, text: string) =>
  new Response(text, { status, headers: { ...BASE_HEADERS, 'content-type': 'text/plain; charset=utf-8' } });

/**
 * The file a URL path names inside `root`, or undefined when it names nothing servable there.
 * Decoded once (as Chromium hands it over, `%2f` and `%2e` still encoded are decoded here, so
 * they are checked too); any `..` segment, backslash or NUL is refused outright.
 */
export function fileForPath(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return undefined;
  if (segments.length === 0) segments.push('index.html');
  const file = resolve(root, ...segments);
  return file.startsWith(root + sep) ? file : undefined;
}

/** Answer one app:// request from the files under `uiDir`. Never throws (Electron would show a net error). */
export async function answerAppRequest(uiDir: string, request: Request): Promise<Response> {
  try {
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'method not allowed');
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return answer(404, 'not found');
    const root = await realpath(uiDir);
    const file = fileForPath(root, url.pathname);
    if (!file) return answer(404, 'not found');
    // A symlink inside the folder must not lead out of it.
    const real = await realpath(file).catch(() => undefined);
    if (!real || !real.startsWith(root + sep) || !(await stat(real)).isFile()) return answer(404, 'not found');
    const body = request.method === 'HEAD' ? null : await readFile(real);
    return new Response(body, { status: 200, headers: { ...BASE_HEADERS, 'content-type': mimeType(real) } });
  } catch {
    return answer(500, 'the file could not be read');
  }
}

/** After `ready`: serve `uiDir` (dist/ui) as app://patchbay/. */
export function serveRendererFiles(protocolApi: ProtocolHandlerLike, uiDir: string): void {
  const root = resolve(uiDir);
  protocolApi.handle(APP_SCHEME, (request) => answerAppRequest(root, request));
}
