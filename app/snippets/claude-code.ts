/** Ready-to-paste environment for Claude Code pointed at a running Patchbay. */
export interface SnippetTarget {
  /** e.g. http://127.0.0.1:7420 (no trailing slash, no /v1: Claude Code adds it). */
  baseUrl: string;
  clientToken: string;
}

export function claudeCodeEnv(target: SnippetTarget): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: target.baseUrl,
    ANTHROPIC_AUTH_TOKEN: target.clientToken,
    // No telemetry/update traffic to Anthropic: the backend is not Anthropic.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    // Keeps the system prompt stable across sessions, so backends' prompt caches hit.
    CLAUDE_CODE_ATTRIBUTION_HEADER: '0',
  };
}

/** POSIX shell `export` lines, values single-quoted. */
export function claudeCodeShellSnippet(target: SnippetTarget): string {
  return Object.entries(claudeCodeEnv(target))
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
    .join('\n');
}
