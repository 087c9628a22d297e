// The dashboard as a local web page, on a real socket through the assembled engine: the page and
// its assets are served with a strict CSP; a one-time login link trades its code for an HttpOnly,
// SameSite=Strict session cookie; the admin API takes that cookie only from the page's own origin,
// and the cookie never opens the model routes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine } from '../../../app/runtime/engine';
import { startFakeNim } from '../../fakes/fake-nim';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';
import { call } from './proxy-harness';

const nim = await startFakeNim();
const dir = makeTempDir('dashboard');
const uiDir = join(dir, 'ui');
mkdirSync(join(uiDir, 'assets'), { recursive: true });
writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Patchbay</title><div id="root"></div><script type="module" src="./assets/app.js"></script>');
writeFileSync(join(uiDir, 'assets', 'app.js'), 'console.log("ui")');
const adminToken = `pb-admin-${randomBytes(16).toString('hex')}`;
const clientToken = `pb-client-${randomBytes(16).toString('hex')}`;
const configPath = join(dir, 'config.json');
writeFileSync(
  configPath,
  JSON.stringify({ clientToken, adminToken, active: 'nim', backends: [{ id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:NIM_KEY', model: 'moonshotai/kimi-k2.6' }] }),
);
const engine = await startEngine({ configPath, dataDir: join(dir, 'data'), env: { NIM_KEY: nim.key }, keychainService: `patchbay-test-${randomBytes(4).toString('hex')}`, uiDir });
const url = await engine.listen('127.0.0.1', 0);
const h = { port: Number(new URL(url).port) };
after(async () => {
  await engine.close();
  await nim.close();
  removeTempDirs(dir);
});

const html = { accept: 'text/html,application/xhtml+xml' };

/** Signs in with a fresh login link; returns the session cookie pair. */
async function signIn(): Promise<string> {
  const link = new URL(engine.dashboardLoginUrl(url));
  const res = await call(h, link.pathname + link.search, { headers: html });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/');
  const cookie = String(res.headers['set-cookie']);
  assert.match(cookie, /^patchbay_session=[A-Za-z0-9_-]{43};/);
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Strict/i);
  return cookie.split(';', 1)[0]!;
}

test('the page and its assets need no token and carry a strict CSP; tools get a JSON line at /', async () => {
  const page = await call(h, '/', { headers: html });
  assert.equal(page.status, 200);
  assert.match(page.text, /<div id="root">/);
  assert.match(String(page.headers['content-security-policy']), /default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/);
  assert.equal(page.headers['referrer-policy'], 'no-referrer');
  const asset = await call(h, '/assets/app.js');
  assert.equal(asset.status, 200);
  assert.match(String(asset.headers['content-security-policy']), /default-src 'self'/);
  assert.deepEqual((await call(h, '/')).json(), { name: 'patchbay', ok: true });
  assert.equal((await call(h, '/', { method: 'HEAD' })).status, 200, "Claude Code's probe");
  assert.equal((await call(h, '/favicon.ico')).status, 204, 'a browser asking for its icon is no refusal');
  assert.ok(!engine.log.list({ limit: 50 }).items.some((e) => e.path === '/favicon.ico'), 'and nothing in the request log');
});

test('a login link works once; a wrong or used code is refused', async () => {
  const link = new URL(engine.dashboardLoginUrl(url));
  assert.equal((await call(h, '/?login=wrong-code', { headers: html })).status, 403);
  assert.equal((await call(h, link.pathname + link.search, { headers: html })).status, 303);
  const again = await call(h, link.pathname + link.search, { headers: html });
  assert.equal(again.status, 403);
  assert.match(again.text, /used up or wrong/);
  assert.notEqual(new URL(engine.dashboardLoginUrl(url)).search, link.search, 'a new code replaces the used one');
});

test('the session cookie opens the admin API from the page itself only', async () => {
  const cookie = await signIn();
  const sameOrigin = { cookie, 'sec-fetch-site': 'same-origin' };
  assert.equal((await call(h, '/api/state', { headers: sameOrigin })).status, 200);
  assert.equal((await call(h, '/api/state', { headers: { ...sameOrigin, origin: url } })).status, 200, 'its own Origin');
  assert.equal((await call(h, '/api/state', { headers: { cookie, origin: 'https://evil.example' } })).status, 403, 'a foreign page');
  assert.equal((await call(h, '/api/state', { headers: { cookie, 'sec-fetch-site': 'cross-site' } })).status, 401);
  assert.equal((await call(h, '/api/state', { headers: { cookie, host: `localhost.evil.example:${h.port}` } })).status, 403, 'DNS rebinding');
  assert.equal((await call(h, '/api/state', {})).status, 401, 'no cookie');
  assert.equal((await call(h, '/api/state', { headers: { cookie: 'patchbay_session=forged' } })).status, 401);
  const put = await call(h, '/api/active', { method: 'PUT', headers: { ...sameOrigin }, body: { backend: 'nim' } });
  assert.equal(put.status, 200, 'the page can act, not only read');
  const model = await call(h, '/v1/chat/completions', { headers: sameOrigin, body: { model: 'x', messages: [{ role: 'user', content: 'hi' }] } });
  assert.equal(model.status, 401, 'the cookie never opens the model routes');
});

test('POST /api/dashboard/login-link (admin token) makes a fresh working link', async () => {
  const res = await call(h, '/api/dashboard/login-link', { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
  assert.equal(res.status, 200);
  const link = new URL((res.json() as { url: string }).url);
  assert.equal((await call(h, link.pathname + link.search, { headers: html })).status, 303);
});
