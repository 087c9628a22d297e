/**
 * The window's CSP, read as directives: self only, no inline or evaluated script, no remote
 * origin anywhere, connect only to self (the engine is reached over IPC), no frames or objects;
 * and never looser than the dashboard's for any directive the dashboard sets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DASHBOARD_CSP } from '../../../../app/proxy/web/dashboard';
import { RENDERER_CSP } from '../../../../main/security/content-security-policy';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

test('the renderer CSP allows only the app’s own files', () => {
  const csp = directives(RENDERER_CSP);
  assert.deepEqual(csp.get('default-src'), ["'self'"]);
  assert.deepEqual(csp.get('script-src'), ["'self'"]);
  assert.deepEqual(csp.get('connect-src'), ["'self'"]);
  for (const none of ['object-src', 'frame-src', 'base-uri', 'form-action', 'frame-ancestors']) assert.deepEqual(csp.get(none), ["'none'"], none);
  for (const [name, values] of csp) {
    for (const value of values) {
      assert.ok(!/unsafe-(eval|inline|hashes)|wasm-unsafe-eval|^\*$|^https?:|^wss?:|^blob:|^filesystem:/.test(value), `${name} allows ${value}`);
    }
  }
});

test('no directive the dashboard restricts is looser in the window', () => {
  const window = directives(RENDERER_CSP);
  for (const [name, values] of directives(DASHBOARD_CSP)) {
    const ours = window.get(name) ?? window.get('default-src')!;
    for (const value of ours) assert.ok(values.includes(value) || value === "'none'", `${name}: ${value} is not in the dashboard's ${values.join(' ')}`);
  }
});
