/**
 * The status Patchbay uses for problems of its own configuration (400, app/ir/errors.ts
 * `proxyConfigError`) is one the real clients show at once without retrying. If a client update
 * starts retrying 400s, this fails: re-measure with scripts/client-retries.ts and update
 * docs/client-retries.md. The 401 row is the contrast (Claude Code keeps retrying it).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measure } from '../../scripts/client-retries';

for (const client of ['claude', 'opencode', 'codex'] as const) {
  test(`${client}: a 400 is not retried and its message is printed at once`, { timeout: 90_000 }, async () => {
    const r = await measure(client, 400);
    const detail = JSON.stringify(r);
    assert.equal(r.timedOut, false, detail);
    assert.equal(r.requests - r.titleRequests, 1, `one model request, no retry: ${detail}`);
    assert.equal(r.messageShown, true, detail);
    assert.notEqual(r.exitCode, 0, detail);
    assert.ok(r.afterFirstRequestSeconds < 10, `exits within 10 s of its request (startup time is load dependent): ${detail}`);
  });
}

test('claude: a 401 is retried (why Patchbay never answers its own problems with 401)', { timeout: 90_000 }, async () => {
  const r = await measure('claude', 401, 20_000);
  assert.ok(r.requests >= 3, JSON.stringify(r));
  assert.equal(r.messageShown, false, 'nothing shown while it retries');
});
