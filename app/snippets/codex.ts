/**
 * Ready-to-paste setup for the Codex CLI pointed at a running Patchbay: the `~/.codex/config.toml`
 * lines declaring Patchbay as a Responses provider, and the shell line for the token it reads.
 * Codex speaks only the Responses API (`wire_api = "responses"`) and calls `{base_url}/responses`
 * with `Authorization: Bearer $<env_key>`.
 */
import { CODEX_TOKEN_VAR } from '../agents/codex';
import type { SnippetTarget } from './claude-code';

/** Environment variable the Codex provider reads the Patchbay client token from (the agents catalog's). */
export const CODEX_TOKEN_ENV = CODEX_TOKEN_VAR;
/** Provider id in config.toml (`model_provider` and the `[model_providers.<id>]` table). */
export const CODEX_PROVIDER_ID = 'patchbay';

export interface CodexSnippetTarget extends SnippetTarget {
  /** Model name Codex asks for; Patchbay maps any unknown name to the active backend's model. */
  model?: string;
}

/** A TOML basic string (JSON's escapes are all valid TOML escapes). */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

/** config.toml lines: top-level keys first (TOML puts keys after a table header into that table). */
export function codexConfigToml(target: CodexSnippetTarget): string {
  return [
    ...(target.model !== undefined ? [`model = ${tomlString(target.model)}`] : []),
    `model_provider = ${tomlString(CODEX_PROVIDER_ID)}`,
    '',
    `[model_providers.${CODEX_PROVIDER_ID}]`,
    'name = "Patchbay"',
    `base_url = ${tomlString(`${target.baseUrl}/v1`)}`,
    `env_key = ${tomlString(CODEX_TOKEN_ENV)}`,
    'wire_api = "responses"',
    '',
  ].join('\n');
}

/** POSIX shell `export` line for the token, value single-quoted. */
export function codexEnvLine(target: SnippetTarget): string {
  return `export ${CODEX_TOKEN_ENV}='${target.clientToken.replace(/'/g, `'\\''`)}'`;
}
