/**
 * Claude Code's environment (shell exports): apart from claude-code.ts so the `patchbay serve`
 * banner and the "Copy Claude Code env" command need neither the agents' file writers nor their
 * YAML/JSONC/TOML editors (loaded only when an agent's files are previewed or written).
 */
import { exportLines } from './shell';
import type { AgentInput } from './types';

/** Long enough for a request that waits its turn in a paced queue (NIM: 40 requests/minute). */
export const CLAUDE_API_TIMEOUT_MS = '600000';

export function claudeCodeEnv(input: AgentInput): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: input.baseUrl,
    ANTHROPIC_AUTH_TOKEN: input.clientToken,
    ANTHROPIC_MODEL: input.models.main,
    ANTHROPIC_DEFAULT_OPUS_MODEL: input.models.main,
    ANTHROPIC_DEFAULT_SONNET_MODEL: input.models.main,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: input.models.small,
    API_TIMEOUT_MS: CLAUDE_API_TIMEOUT_MS,
    // No telemetry/update traffic to Anthropic: the backend is not Anthropic.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    // Keeps the system prompt stable across sessions, so backends' prompt caches hit.
    CLAUDE_CODE_ATTRIBUTION_HEADER: '0',
  };
}

/** The `export` lines alone (for the `patchbay serve` banner and the tray's "Copy Claude Code env"). */
export function claudeCodeShellExports(input: AgentInput): string {
  return exportLines(claudeCodeEnv(input));
}
