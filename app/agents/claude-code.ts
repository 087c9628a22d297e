/**
 * Claude Code: shell exports and the `env` block of ~/.claude/settings.json (which wins over
 * the shell). Supersedes app/snippets/claude-code.ts.
 */
import { claudeCodeEnv, claudeCodeShellExports } from './claude-code-env';
import { fileSnippet, setAll } from './file-snippet';
import type { AgentDefinition } from './types';

// The env alone lives in claude-code-env.ts (no file writers needed for it); re-exported here.
export { CLAUDE_API_TIMEOUT_MS, claudeCodeEnv, claudeCodeShellExports } from './claude-code-env';

export const claudeCode: AgentDefinition = {
  id: 'claude-code',
  name: 'Claude Code',
  overridingEnv: [/^ANTHROPIC_/, /^CLAUDE_CODE_USE_(BEDROCK|VERTEX|FOUNDRY)$/],
  snippets: (input) => [
    { kind: 'env', language: 'sh', title: 'Shell', text: claudeCodeShellExports(input) },
    fileSnippet('.claude/settings.json', 'json', setAll(['env'], claudeCodeEnv(input))),
  ],
};
