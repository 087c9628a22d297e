/**
 * Claude Code: shell exports and the `env` block of ~/.claude/settings.json (which wins over
 * the shell). Supersedes app/snippets/claude-code.ts.
 */
import { fileSnippet, setAll } from './file-snippet';
import { exportLines } from './shell';
import type { AgentDefinition, AgentInput } from './types';

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

export const claudeCode: AgentDefinition = {
  id: 'claude-code',
  name: 'Claude Code',
  overridingEnv: [/^ANTHROPIC_/, /^CLAUDE_CODE_USE_(BEDROCK|VERTEX|FOUNDRY)$/],
  snippets: (input) => [
    { kind: 'env', language: 'sh', title: 'Shell', text: claudeCodeShellExports(input) },
    fileSnippet('.claude/settings.json', 'json', setAll(['env'], claudeCodeEnv(input))),
  ],
};
