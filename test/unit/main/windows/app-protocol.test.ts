/**
 * The app:// protocol on a recording stand-in of Electron's protocol module and real files: the
 * scheme's privileges, the UI files with their MIME types and the CSP, `/` as index.html, and
 * every way out of the folder refused (`..` plain, dot-encoded, slash-encoded, backslashes, NUL,
 * a look-alike sibling folder, a symlink), other hosts, methods and missing files answered
 * without throwing. Then the real built UI (dist/ui) when it is there.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Protocol } from 'electron';
import { RENDERER_CSP } from '../../../../main/security/content-security-policy';
import {
  APP_ORIGIN,
  fileForPath,
  registerAppScheme,
  serveRendererFiles,
  type ProtocolHandlerLike,
  type SchemeRegistrarLike,
} from '../../../../main/windows/app-protocol';
import { makeTempDir, removeTempDirs } from '../../../helpers/temp-dirs';

export type ElectronFits = [Protocol extends SchemeRegistrarLike ? true : never, Protocol extends ProtocolHandlerLike ? true : never];
const fits: ElectronFits = [true, true];

const base = makeTempDir('app-protocol');
after(() => removeTempDirs(base));
const ui = join(base, 'ui');
mkdirSync(join(ui, 'assets'), { recursive: true });
mkdirSync(join(base, 'ui-evil'));
writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Patchbay</title>');
writeFileSync(join(ui, 'assets', 'index-abc.js'), 'console.log(1)');
writeFileSync(join(ui, 'assets', 'index-abc.css'), 'body{}');
writeFileSync(join(ui, 'assets', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(join(ui, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
writeFileSync(join(ui, 'assets', 'blob.xyz'), 'x');
const SECRET = 'secret-outside-the-ui-folder';
writeFileSync(join(base, 'secret.txt'), SECRET);
writeFileSync(join(base, 'ui-evil', 'secret.txt'), SECRET);
symlinkSync(join(base, 'secret.txt'), join(ui, 'assets', 'link.txt'));
symlinkSync(base, join(ui, 'up'));

function served(uiDir: string) {
  let scheme: string | undefined;
  let handler: ((request: Request) => Response | Promise<Response>) | undefined;
  serveRendererFiles({ handle: (s, h) => ((scheme = s), (handler = h)) }, uiDir);
  assert.equal(scheme, 'app');
  return (url: string, init?: RequestInit) => Promise.resolve(handler!(new Request(url, init)));
}

test('Electron’s protocol module fits the structural types', () => {
  assert.deepEqual(fits, [true, true]);
});

test('the scheme is registered standard and secure, fetch for its own files, no CORS, no CSP bypass', () => {
  const calls: unknown[] = [];
  registerAppScheme({ registerSchemesAsPrivileged: (schemes) => void calls.push(schemes) });
  assert.deepEqual(calls, [[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]]);
  assert.equal(APP_ORIGIN, 'app://patchbay');
});

test('serves the UI files with their MIME types and the CSP; / is index.html', async () => {
  const get = served(ui);
  const cases: Array<[string, string, string]> = [
    ['app://patchbay/', 'text/html; charset=utf-8', '<!doctype html><title>Patchbay</title>'],
    ['app://patchbay/index.html?view=popover#x', 'text/html; charset=utf-8', '<!doctype html><title>Patchbay</title>'],
    ['app://patchbay/assets/index-abc.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
    ['app://patchbay/assets/index-abc.css', 'text/css; charset=utf-8', 'body{}'],
    ['app://patchbay/assets/icon.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ['app://patchbay/assets/blob.xyz', 'application/octet-stream', 'x'],
    ['app://patchbay/./assets/%69ndex-abc.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
  ];
  for (const [url, type, body] of cases) {
    const res = await get(url);
    assert.equal(res.status, 200, url);
    assert.equal(res.headers.get('content-type'), type, url);
    assert.equal(res.headers.get('content-security-policy'), RENDERER_CSP, url);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await res.text(), body, url);
  }
  const font = await get('app://patchbay/assets/font.woff2');
  assert.equal(font.headers.get('content-type'), 'font/woff2');
  assert.deepEqual([...new Uint8Array(await font.arrayBuffer())], [0x77, 0x4f, 0x46, 0x32]);
  const head = await get('app://patchbay/', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('no way out of the UI folder, however the path is spelled', async () => {
  const get = served(ui);
  const escapes = [
    'app://patchbay/../secret.txt',
    'app://patchbay/assets/../../secret.txt',
    'app://patchbay/%2e%2e/secret.txt',
    'app://patchbay/%2E%2E/%2e%2e/secret.txt',
    'app://patchbay/..%2fsecret.txt',
    'app://patchbay/..%2Fsecret.txt',
    'app://patchbay/assets/..%2f..%2fsecret.txt',
    'app://patchbay/%2e%2e%2fsecret.txt',
    'app://patchbay/..%5csecret.txt',
    'app://patchbay/assets/..%5c..%5csecret.txt',
    'app://patchbay/%252e%252e%252fsecret.txt',
    'app://patchbay/..%2fui-evil%2fsecret.txt',
    'app://patchbay/%2f..%2fsecret.txt',
    `app://patchbay/${encodeURIComponent(join(base, 'secret.txt'))}`,
    'app://patchbay/index.html%00.js',
    'app://patchbay/assets/link.txt',
    'app://patchbay/up/secret.txt',
    'app://patchbay/%E0%A4%A',
  ];
  for (const url of escapes) {
    const res = await get(url);
    assert.ok(res.status === 404 || res.status === 400, `${url}: ${res.status}`);
    const text = await res.text();
    assert.ok(!text.includes(SECRET), `${url} leaked the file`);
    assert.equal(res.headers.get('content-security-policy'), RENDERER_CSP, url);
  }
});

test('fileForPath refuses dot segments, separators and NUL before touching the disk', () => {
  const root = resolve('/srv/ui');
  assert.equal(fileForPath(root, '/'), join(root, 'index.html'));
  assert.equal(fileForPath(root, '/assets/a.js'), join(root, 'assets', 'a.js'));
  for (const path of ['/..', '/a/../../b', '/%2e%2e/b', '/..%2fb', '/a%5cb', '/a%00', '/%ZZ', '/.%2e/b']) assert.equal(fileForPath(root, path), undefined, path);
});

test('other hosts, other methods, folders and missing files get plain answers', async () => {
  const get = served(ui);
  assert.equal((await get('app://other/index.html')).status, 404);
  assert.equal((await get('app://patchbay/assets')).status, 404, 'a folder');
  assert.equal((await get('app://patchbay/nope.js')).status, 404);
  assert.equal((await get('app://patchbay/index.html', { method: 'POST', body: 'x' })).status, 405);
  const gone = served(join(base, 'not-built'));
  const res = await gone('app://patchbay/');
  assert.ok(res.status >= 400, 'a missing UI folder is an answer, not a throw');
});

test('the built UI (dist/ui) loads: index.html and every asset it names, with their types', async (t) => {
  const dist = resolve(import.meta.dirname, '../../../../dist/ui');
  if (!existsSync(join(dist, 'index.html'))) {
    t.skip('dist/ui is not built (npm run build:ui)');
    console.log('# skipped: dist/ui is not built (npm run build:ui)');
    return;
  }
  const get = served(dist);
  const index = await get('app://patchbay/');
  assert.equal(index.status, 200);
  const html = await index.text();
  assert.equal(html, readFileSync(join(dist, 'index.html'), 'utf8'));
  const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), `assets named: ${assets.join(', ')}`);
  for (const asset of assets) {
    const res = await get(new URL(asset, 'app://patchbay/').href);
    assert.equal(res.status, 200, asset);
    const type = res.headers.get('content-type') ?? '';
    if (asset.endsWith('.js')) assert.equal(type, 'text/javascript; charset=utf-8');
    if (asset.endsWith('.css')) assert.equal(type, 'text/css; charset=utf-8');
    if (asset.endsWith('.svg')) assert.equal(type, 'image/svg+xml');
  }
});
