/**
 * A problem of Patchbay's own configuration reaches the real agent at once, with the fix:
 * the active backend has no key (its env variable is not set). Before, the proxy answered 401,
 * which Claude Code retries for about 3 minutes (docs/client-retries.md). Real CLIs -> real
 * `patchbay serve` process; no upstream is ever reached.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRun, makeAgentDirs, runClaude, runOpenCode } from '../helpers/agents';
import { startProxy, type RunningProxy } from '../helpers/proxy';
import { removeTempDirs } from '../helpers/temp-dirs';
import { CLIENT_TOKEN, ADMIN_TOKEN, NIM_MODEL } from './e2e-setup';

const UNSET = 'PB_E2E_UNSET_NIM_KEY';
const LIMIT_MS = 15_000;

async function proxyWithoutKey(): Promise<RunningProxy> {
  return startProxy({
    config: {
      clientToken: CLIENT_TOKEN,
      adminToken: ADMIN_TOKEN,
      active: 'nim',
      backends: [{ id: 'nim', format: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: `env:${UNSET}`, model: NIM_MODEL }],
    },
  });
}

function assertFixShown(output: string, diag: string): void {
  assert.ok(output.includes(UNSET), `the variable is named\n${diag}`);
  assert.match(output, /restart Patchbay/, diag);
  assert.match(output, /api\/backends\/nim\/key/, diag);
}

test('no key for the active backend: Claude Code prints the fix within 15 s and exits', { timeout: 120_000 }, async () => {
  const proxy = await proxyWithoutKey();
  const dirs = makeAgentDirs();
  try {
    const started = Date.now();
    const run = await runClaude({ prompt: 'hi', baseUrl: proxy.url, token: CLIENT_TOKEN, dirs, timeoutMs: 45_000 });
    const elapsed = Date.now() - started;
    const diag = `${describeRun(run)}\n--- proxy\n${proxy.output().slice(-2000)}`;
    assert.equal(run.timedOut, false, diag);
    assert.ok(elapsed < LIMIT_MS, `took ${elapsed} ms\n${diag}`);
    assert.notEqual(run.code, 0, diag);
    assertFixShown(run.stdout + run.stderr, diag);
    console.log(`# claude -p printed the fix after ${elapsed} ms`);
  } finally {
    await proxy.stop();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});

test('no key for the active backend: OpenCode prints the fix within 15 s and exits', { timeout: 120_000 }, async () => {
  const proxy = await proxyWithoutKey();
  const dirs = makeAgentDirs();
  try {
    const started = Date.now();
    const run = await runOpenCode({ prompt: 'hi', baseUrl: `${proxy.url}/v1`, apiKey: CLIENT_TOKEN, model: NIM_MODEL, dirs, timeoutMs: 45_000 });
    const elapsed = Date.now() - started;
    const diag = `${describeRun(run)}\n--- proxy\n${proxy.output().slice(-2000)}`;
    assert.equal(run.timedOut, false, diag);
    assert.ok(elapsed < LIMIT_MS, `took ${elapsed} ms\n${diag}`);
    assertFixShown(run.stdout + run.stderr, diag);
    console.log(`# opencode run printed the fix after ${elapsed} ms`);
  } finally {
    await proxy.stop();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});
