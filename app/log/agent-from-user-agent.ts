/**
 * Which coding agent sent a request, from its user-agent (and a few agent-specific headers).
 * Seen on loopback: Claude Code sends `claude-cli/<ver> (external, cli)`, Codex CLI
 * `codex_cli_rs/<ver> ...`, OpenCode `opencode/<ver> ...` (and `ai-sdk/...`).
 */
const KNOWN_AGENTS: Array<[RegExp, string]> = [
  [/claude-cli|claude-code/i, 'claude-code'],
  [/opencode/i, 'opencode'],
  [/codex/i, 'codex'],
  [/aider/i, 'aider'],
  [/goose/i, 'goose'],
  [/roo-?code/i, 'roo-code'],
  [/kilo-?code/i, 'kilo-code'],
  [/cline/i, 'cline'],
  [/continue/i, 'continue'],
  [/kimi/i, 'kimi-code'],
  [/cursor/i, 'cursor'],
  [/\bzed\b/i, 'zed'],
  [/litellm/i, 'litellm'],
  [/anthropic[-/ ]?(python|typescript|js|node)|Anthropic\//i, 'anthropic-sdk'],
  [/openai[-/ ]?(python|js|node)|OpenAI\//i, 'openai-sdk'],
  [/^curl\//i, 'curl'],
];

/** A short agent name for a user-agent; `unknown` when there is none. */
export function agentFromUserAgent(userAgent: string | undefined): string {
  const ua = userAgent?.trim();
  if (!ua) return 'unknown';
  for (const [pattern, name] of KNOWN_AGENTS) if (pattern.test(ua)) return name;
  // Unknown client: its first product token, e.g. "mytool/1.2 (linux)" -> "mytool".
  const product = ua.split(/[\s/;(]/, 1)[0]?.toLowerCase().replace(/[^a-z0-9._-]/g, '') ?? '';
  return product ? product.slice(0, 32) : 'unknown';
}

type HeaderBag = Record<string, string | string[] | undefined>;

/** Agent from request headers: the user-agent first, then agent-specific headers. */
export function agentFromHeaders(headers: HeaderBag): string {
  const ua = headers['user-agent'];
  const fromUa = agentFromUserAgent(Array.isArray(ua) ? ua[0] : ua);
  if (fromUa !== 'unknown') return fromUa;
  const names = Object.keys(headers).map((n) => n.toLowerCase());
  if (names.includes('x-claude-code-session-id')) return 'claude-code';
  if (names.some((n) => n.startsWith('x-codex-'))) return 'codex';
  return 'unknown';
}
