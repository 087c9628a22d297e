/**
 * Real agent CLIs configured ONLY by the files Patchbay wrote (a temporary HOME, no ANTHROPIC_*,
 * OPENAI_* or other endpoint variables of ours), each completing a request through a real
 * `patchbay serve` to the fake NIM:
 *   Claude Code  <- ~/.claude/settings.json (env block)
 *   OpenCode     <- ~/.config/opencode/opencode.json
 *   Cline CLI    <- ~/.cline/data/settings/providers.json
 *   Continue CLI <- ~/.continue/config.yaml
 *   Codex CLI    <- ~/.codex/config.toml (+ PATCHBAY_TOKEN, the env line Patchbay gives it)
 * Besides the written file, each run gets only what running offline needs (no telemetry,
 * no auto-update), as named per client below.
 */
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AgentConfigService } from '../../app/agents/agent-config-service';
import type { AgentInput } from '../../app/agents/types';
import { startFakeNim } from '../fakes/fake-nim';
import type { FakeUpstream, RecordedRequest } from '../fakes/scenario';
import { describeRun, makeAgentDirs, type AgentDirs } from '../helpers/agents';
import { startProxy, type RunningProxy } from '../helpers/proxy';
import { runProcess, type ProcessRun } from '../helpers/run-process';
import { removeTempDirs } from '../helpers/temp-dirs';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const CLIENT_TOKEN = 'pb-client-agents-e2e-0123456789abcdef';
const MODEL = 'moonshotai/kimi-k2.6';

let nim: FakeUpstream;
let proxy: RunningProxy;
const dirsMade: AgentDirs[] = [];

before(async () => {
  nim = await startFakeNim();
  proxy = await startProxy({
    config: {
      clientToken: CLIENT_TOKEN,
      adminToken: 'pb-admin-agents-e2e-0123456789abcdef',
      active: 'nim',
      backends: [{ id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:PB_AGENTS_NIM_KEY', model: MODEL, kimi: true, fixedSampling: true }],
    },
    env: { PB_AGENTS_NIM_KEY: nim.key },
  });
});

after(async () => {
  await proxy?.stop();
  await nim?.close();
  removeTempDirs(...dirsMade.flatMap((d) => [d.home, d.workdir]));
});

/** Patchbay writes the agent's files into a fresh HOME, as POST /api/agents/<id>/write does. */
async function configuredBy(agentId: string): Promise<AgentDirs> {
  const dirs = makeAgentDirs();
  dirsMade.push(dirs);
  const input: AgentInput = { baseUrl: proxy.url, clientToken: CLIENT_TOKEN, models: { main: MODEL, small: MODEL } };
  const service = new AgentConfigService({ recordFile: join(dirs.home, '.patchbay-record.json'), home: () => dirs.home, env: () => ({}) });
  const { files } = await service.write(agentId, input);
  assert.ok(files.length >= 1 && files.every((f) => f.changed));
  return dirs;
}

/** Nothing that points anywhere: PATH, HOME, a terminal, and the client's offline switches. */
function bareEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TERM: 'dumb', LANG: 'C.UTF-8', NO_COLOR: '1', ...extra };
}

function answer(marker: string): void {
  nim.setBrain(() => ({ steps: [{ type: 'text', text: marker }] }));
}

function throughProxy(since: number): RecordedRequest[] {
  return nim.requests.slice(since).filter((r) => r.path.endsWith('/chat/completions'));
}

function check(run: ProcessRun, marker: string, since: number): void {
  const diag = `${describeRun(run)}\n--- proxy\n${proxy.output().slice(-3000)}\n--- nim\n${nim.requests.slice(since).map((r) => `${r.path} ${r.rejected ?? 'ok'}`).join('\n')}`;
  assert.equal(run.code, 0, diag);
  assert.ok(run.stdout.includes(marker), diag);
  const seen = throughProxy(since);
  assert.ok(seen.length > 0, `the fake NIM saw the request through Patchbay\n${diag}`);
  assert.ok(seen.every((r) => !r.rejected && r.headers.authorization === `Bearer ${nim.key}`), 'Patchbay sent its own upstream key');
  assert.ok(seen.every((r) => r.body.model === MODEL));
}

test('Claude Code, from ~/.claude/settings.json alone', { timeout: 180_000 }, async () => {
  const dirs = await configuredBy('claude-code');
  const marker = 'CLAUDE-FROM-SETTINGS-JSON';
  answer(marker);
  const since = nim.requests.length;
  const run = await runProcess(BIN('claude'), ['-p', 'Say the word', '--permission-mode', 'acceptEdits'], {
    cwd: dirs.workdir,
    env: bareEnv(dirs.home, { DISABLE_AUTOUPDATER: '1', DISABLE_TELEMETRY: '1', DISABLE_ERROR_REPORTING: '1' }),
    timeoutMs: 150_000,
  });
  check(run, marker, since);
});

test('OpenCode, from ~/.config/opencode/opencode.json alone', { timeout: 180_000 }, async () => {
  const dirs = await configuredBy('opencode');
  const marker = 'OPENCODE-FROM-GLOBAL-CONFIG';
  answer(marker);
  const since = nim.requests.length;
  const run = await runProcess(BIN('opencode'), ['run', 'Say the word'], {
    cwd: dirs.workdir,
    env: bareEnv(dirs.home, {
      OPENCODE_DISABLE_AUTOUPDATE: '1',
      OPENCODE_DISABLE_MODELS_FETCH: '1',
      OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
      OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
      OPENCODE_DISABLE_SHARE: '1',
      OPENCODE_DISABLE_CLAUDE_CODE: '1',
      OPENCODE_DISABLE_EXTERNAL_SKILLS: '1',
      OPENCODE_DISABLE_EMBEDDED_WEB_UI: '1',
    }),
    timeoutMs: 150_000,
  });
  check(run, marker, since);
});

test('Cline CLI, from ~/.cline/data/settings/providers.json alone', { timeout: 180_000 }, async () => {
  const dirs = await configuredBy('cline');
  // Offline: no telemetry lookups (not endpoint config; Patchbay does not write this file).
  mkdirSync(join(dirs.home, '.cline', 'data', 'settings'), { recursive: true });
  writeFileSync(join(dirs.home, '.cline', 'data', 'settings', 'global-settings.json'), JSON.stringify({ telemetryOptOut: true }));
  const marker = 'CLINE-FROM-PROVIDERS-JSON';
  answer(marker);
  const since = nim.requests.length;
  const run = await runProcess(BIN('cline'), ['Say the word'], {
    cwd: dirs.workdir,
    env: bareEnv(dirs.home, { CLINE_SESSION_BACKEND_MODE: 'local', IS_TEST: 'true' }),
    timeoutMs: 150_000,
  });
  check(run, marker, since);
});

test('Continue CLI, from ~/.continue/config.yaml alone', { timeout: 180_000 }, async () => {
  const dirs = await configuredBy('continue');
  const marker = 'CONTINUE-FROM-CONFIG-YAML';
  answer(marker);
  const since = nim.requests.length;
  // No --config: cn reads ~/.continue/config.yaml by default.
  const run = await runProcess(BIN('cn'), ['-p', 'Say the word', '--auto'], {
    cwd: dirs.workdir,
    env: bareEnv(dirs.home),
    timeoutMs: 150_000,
  });
  check(run, marker, since);
});

test('Codex CLI, from ~/.codex/config.toml and the PATCHBAY_TOKEN line (Responses through Patchbay to a Chat backend)', { timeout: 180_000 }, async () => {
  const dirs = await configuredBy('codex');
  const marker = 'CODEX-FROM-CONFIG-TOML';
  answer(marker);
  const since = nim.requests.length;
  const run = await runProcess(BIN('codex'), ['exec', '--skip-git-repo-check', 'Say the word'], {
    cwd: dirs.workdir,
    env: bareEnv(dirs.home, { PATCHBAY_TOKEN: CLIENT_TOKEN }),
    timeoutMs: 150_000,
  });
  check(run, marker, since);
});
