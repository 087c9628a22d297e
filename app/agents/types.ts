/**
 * What an agent generator takes (what the engine knows) and what it gives (snippets, and for
 * each file snippet the edits that make an existing file point at Patchbay).
 */

export interface AgentInput {
  /** Proxy root URL, e.g. http://127.0.0.1:7420 (no trailing slash, no /v1). */
  baseUrl: string;
  clientToken: string;
  /** The active backend's model names: main work and background (haiku tier) work. */
  models: { main: string; small: string };
  /** The active backend's context window in tokens, when known. */
  contextWindow?: number;
  /** Time stamped into files that need one (Cline's `updatedAt`). Default: now. */
  now?: Date;
}

export type SnippetLanguage = 'sh' | 'json' | 'toml' | 'yaml' | 'text';
export type ConfigFormat = 'json' | 'toml' | 'yaml';

/** One key path set to a value; `onlyIfAbsent` leaves a value the user already has. */
export interface SetEdit {
  op: 'set';
  path: string[];
  value: unknown;
  onlyIfAbsent?: boolean;
}

/** In the list at `path`, the item whose `matchKey` equals `matchValue` is replaced (else appended). */
export interface UpsertListItemEdit {
  op: 'upsert-item';
  path: string[];
  matchKey: string;
  matchValue: string;
  value: Record<string, unknown>;
}

export type ConfigEdit = SetEdit | UpsertListItemEdit;

export interface Snippet {
  kind: 'env' | 'file' | 'text';
  language: SnippetLanguage;
  /** Short human title ("Shell", "~/.claude/settings.json"). */
  title: string;
  /** For file snippets: a path relative to HOME. */
  target?: string;
  /** Complete on its own: for a file, the whole file a user without one would have. */
  text: string;
  /** For file snippets: the edits that point an existing file at Patchbay (only Patchbay's keys). */
  edits?: ConfigEdit[];
  format?: ConfigFormat;
}

export interface AgentDefinition {
  id: string;
  name: string;
  /** Environment variables that, set where the agent runs, would override what Patchbay wrote. */
  overridingEnv: RegExp[];
  snippets(input: AgentInput): Snippet[];
}
