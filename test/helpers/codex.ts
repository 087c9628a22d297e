/**
 * Runs the real Codex CLI (node_modules/.bin/codex, 0.169) offline and non-interactively in a
 * private HOME/CODEX_HOME and workdir, configured with Patchbay's own config.toml snippet
 * (the agents catalog's, app/agents/codex.ts) plus the settings that let `codex exec` run commands without asking:
 * `approval_policy = "never"`, `sandbox_mode = "danger-full-access"` (no Landlock sandbox needed).
 * Reuse the same dirs with `resume: true` to continue the last session (`codex exec resume --last`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODEX_TOKEN_VAR as CODEX_TOKEN_ENV, codex } from '../../app/agents/codex';
import type { AgentDirs, AgentRun } from './agents';
import { makeAgentDirs } from './agents';
import { runProcess } from './run-process';

const ROOT = join(import.meta.dirname, '..', '..');
export const CODEX_BIN = join(ROOT, 'node_modules', '.bin', 'codex');

export interface CodexOptions {
  prompt: string;
  /** Root URL of the proxy (no /v1: the snippet adds it), or of a Responses server whose API is under /v1. */
  baseUrl: string;
  /** The Patchbay client token, handed to Codex through the snippet's env_key variable. */
  token: string;
  model?: string;
  dirs?: AgentDirs;
  /** `codex exec resume --last PROMPT` in the same dirs. */
  resume?: boolean;
  timeoutMs?: number;
}

export function writeCodexConfig(home: string, baseUrl: string, model: string | undefined): string {
  const codexHome = join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  const runWithoutAsking = ['approval_policy = "never"', 'sandbox_mode = "danger-full-access"'];
  const file = codex.snippets({ baseUrl, clientToken: 'unused', models: { main: model ?? 'gpt-5-codex', small: model ?? 'gpt-5-codex' } }).find((s) => s.target === '.codex/config.toml');
  const snippet = file?.text ?? '';
  writeFileSync(join(codexHome, 'config.toml'), [...runWithoutAsking, snippet].join('\n'));
  return codexHome;
}

export async function runCodex(opts: CodexOptions): Promise<AgentRun> {
  const dirs = opts.dirs ?? makeAgentDirs();
  const codexHome = writeCodexConfig(dirs.home, opts.baseUrl, opts.model);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dirs.home,
    CODEX_HOME: codexHome,
    [CODEX_TOKEN_ENV]: opts.token,
    TERM: 'dumb',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
  };
  const args = opts.resume ? ['exec', 'resume', '--skip-git-repo-check', '--last', opts.prompt] : ['exec', '--skip-git-repo-check', opts.prompt];
  const run = await runProcess(CODEX_BIN, args, { cwd: dirs.workdir, env, timeoutMs: opts.timeoutMs ?? 120_000 });
  return { ...run, dirs };
}
