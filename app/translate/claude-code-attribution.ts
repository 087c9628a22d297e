/**
 * Claude Code prepends an attribution line to its system prompt as the first text block
 * (`x-anthropic-billing-header: cc_version=...; ...`). It is billing metadata for Anthropic,
 * differs across sessions (so it defeats other providers' prompt caches) and means nothing
 * to another model: decoders drop it.
 */
const PREFIX = 'x-anthropic-billing-header:';

export function isClaudeCodeAttribution(text: string): boolean {
  return text.trimStart().startsWith(PREFIX);
}
