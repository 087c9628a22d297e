/**
 * Runs the real agent CLIs (Claude Code, OpenCode) offline and non-interactively, in a
 * private HOME and workdir, against a given base URL (a fake upstream or the proxy).
 *
 * What they need (found by running them here):
 * - Claude Code 2.1.197: `claude -p PROMPT --permission-mode acceptEdits` with ANTHROPIC_BASE_URL
 *   (no /v1), ANTHROPIC_AUTH_TOKEN and CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1; no
 *   ~/.claude.json is needed. It sends a mid-conversation `role:"system"` message and, when the
 *   server refuses it with Anthropic's "Unexpected role ... input message role" wording, retries
 *   with that text folded into the user turn.
 * - OpenCode 1.18.33: `opencode run PROMPT` with an opencode.json in the workdir declaring a
 *   provider `@ai-sdk/openai-compatible` (bundled, nothing downloaded) and the OPENCODE_DISABLE_*
 *   switches below (autoupdate, models.dev fetch, default plugins, LSP download, share). Its
 *   first request is a title request without tools; its file-writing tool is `write`
 *   ({filePath, content}).
 */
import { join } from 'node:path';
import { makeTempDir } from './temp-dirs';
import { runProcess, type ProcessRun } from './run-process';
import { writeFileSync } from 'node:fs';

const ROOT = join(import.meta.dirname, '..', '..');
export const CLAUDE_BIN = join(ROOT, 'node_modules', '.bin', 'claude');
export const OPENCODE_BIN = join(ROOT, 'node_modules', '.bin', 'opencode');

export interface AgentDirs {
  home: string;
  workdir: string;
}

/** A fresh private HOME and workdir (reuse the same pair to continue a session). */
export function makeAgentDirs(): AgentDirs {
  return { home: makeTempDir('agent-home'), workdir: makeTempDir('agent-work') };
}

/** Only what the CLIs need: never the caller's real keys or config. */
function baseEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    TERM: 'dumb',
    LANG: 'C.UTF-8',
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    NO_COLOR: '1',
  };
}

export interface AgentRun extends ProcessRun {
  dirs: AgentDirs;
}

export interface ClaudeOptions {
  prompt: string;
  /** Anthropic-style base URL without /v1 (fake Moonshot `.url`, or the proxy's root URL). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer` (ANTHROPIC_AUTH_TOKEN). */
  token: string;
  /** ANTHROPIC_MODEL and the opus/sonnet/haiku defaults; left to Claude Code when absent. */
  model?: string;
  dirs?: AgentDirs;
  /** Continue the most recent session in the same HOME and workdir (`--continue`). */
  continueSession?: boolean;
  extraArgs?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function runClaude(opts: ClaudeOptions): Promise<AgentRun> {
  const dirs = opts.dirs ?? makeAgentDirs();
  const env: Record<string, string> = {
    ...baseEnv(dirs.home),
    ANTHROPIC_BASE_URL: opts.baseUrl,
    ANTHROPIC_AUTH_TOKEN: opts.token,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    ...(opts.model
      ? {
          ANTHROPIC_MODEL: opts.model,
          ANTHROPIC_DEFAULT_OPUS_MODEL: opts.model,
          ANTHROPIC_DEFAULT_SONNET_MODEL: opts.model,
          ANTHROPIC_DEFAULT_HAIKU_MODEL: opts.model,
        }
      : {}),
    ...opts.env,
  };
  const args = ['-p', opts.prompt, '--permission-mode', 'acceptEdits', ...(opts.continueSession ? ['--continue'] : []), ...(opts.extraArgs ?? [])];
  const run = await runProcess(CLAUDE_BIN, args, { cwd: dirs.workdir, env, timeoutMs: opts.timeoutMs ?? 120_000 });
  return { ...run, dirs };
}

export interface OpenCodeOptions {
  prompt: string;
  /** OpenAI-style base URL with /v1 (fake NIM `.url`, or the proxy's `/v1`). */
  baseUrl: string;
  apiKey: string;
  /** Model id sent upstream. */
  model: string;
  dirs?: AgentDirs;
  extraArgs?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Writes the workdir's opencode.json: one openai-compatible provider `patchbay-test`. */
export function writeOpenCodeConfig(workdir: string, baseUrl: string, apiKey: string, model: string): void {
  const config = {
    $schema: 'https://opencode.ai/config.json',
    autoupdate: false,
    share: 'disabled',
    model: `patchbay-test/${model}`,
    small_model: `patchbay-test/${model}`,
    provider: {
      'patchbay-test': {
        npm: '@ai-sdk/openai-compatible',
        name: 'Patchbay test',
        options: { baseURL: baseUrl, apiKey },
        models: { [model]: { name: model, tool_call: true } },
      },
    },
  };
  writeFileSync(join(workdir, 'opencode.json'), JSON.stringify(config, null, 2));
}

export async function runOpenCode(opts: OpenCodeOptions): Promise<AgentRun> {
  const dirs = opts.dirs ?? makeAgentDirs();
  writeOpenCodeConfig(dirs.workdir, opts.baseUrl, opts.apiKey, opts.model);
  const env: Record<string, string> = {
    ...baseEnv(dirs.home),
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_SHARE: '1',
    OPENCODE_DISABLE_CLAUDE_CODE: '1',
    OPENCODE_DISABLE_EXTERNAL_SKILLS: '1',
    OPENCODE_DISABLE_EMBEDDED_WEB_UI: '1',
    ...opts.env,
  };
  const run = await runProcess(OPENCODE_BIN, ['run', ...(opts.extraArgs ?? []), opts.prompt], { cwd: dirs.workdir, env, timeoutMs: opts.timeoutMs ?? 120_000 });
  return { ...run, dirs };
}

/** One line describing a run, for assertion messages. */
export function describeRun(run: ProcessRun): string {
  return `exit ${run.code}${run.signal ? ` (${run.signal})` : ''}${run.timedOut ? ' TIMED OUT' : ''}\n--- stdout\n${run.stdout.slice(-4000)}\n--- stderr\n${run.stderr.slice(-4000)}`;
}
