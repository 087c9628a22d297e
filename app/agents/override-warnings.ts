/**
 * Warnings about what would override the config Patchbay gives an agent: variables in the
 * environment Patchbay sees, and an `env` block in ~/.claude/settings.json (which wins over the
 * shell) pointing elsewhere. Values are shown only for URLs, hosts and model names, never keys.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import type { AgentDefinition, AgentInput } from './types';

const SHOWABLE = /(BASE_URL|API_BASE|HOST|BASE_PATH|MODEL|PROVIDER)$/;

function describe(name: string, value: string): string {
  return SHOWABLE.test(name) ? `${name}=${value}` : `${name} (value hidden)`;
}

/** Values the agent's env snippet sets, to leave out variables that already agree. */
function intendedEnv(agent: AgentDefinition, input: AgentInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const snippet of agent.snippets(input)) {
    if (snippet.kind !== 'env') continue;
    for (const m of snippet.text.matchAll(/^export ([A-Z0-9_]+)='((?:[^']|'\\'')*)'$/gm)) out[m[1]!] = m[2]!.replace(/'\\''/g, "'");
  }
  return out;
}

export function environmentWarnings(agent: AgentDefinition, input: AgentInput, env: NodeJS.ProcessEnv): string[] {
  const intended = intendedEnv(agent, input);
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && agent.overridingEnv.some((re) => re.test(name)))
    .filter((name) => intended[name] !== env[name])
    .sort()
    .map(
      (name) =>
        `${describe(name, env[name]!)} is set in the environment Patchbay was started from; where ${agent.name} runs with it, it overrides what Patchbay configured`,
    );
}

export async function claudeSettingsWarnings(home: string, input: AgentInput): Promise<string[]> {
  const text = await readFile(join(home, '.claude', 'settings.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const settings = parse(text) as { env?: Record<string, unknown> } | undefined;
  const env = settings && typeof settings.env === 'object' && settings.env ? settings.env : {};
  const warnings: string[] = [];
  const base = env.ANTHROPIC_BASE_URL;
  if (typeof base === 'string' && base.replace(/\/+$/, '') !== input.baseUrl) {
    warnings.push(`~/.claude/settings.json sets ANTHROPIC_BASE_URL=${base} in its env block, which wins over the shell: Claude Code talks to that, not to Patchbay`);
  }
  if (env.ANTHROPIC_API_KEY !== undefined) {
    warnings.push('~/.claude/settings.json sets ANTHROPIC_API_KEY in its env block: Claude Code sends that key instead of the Patchbay token');
  }
  if (typeof env.ANTHROPIC_AUTH_TOKEN === 'string' && env.ANTHROPIC_AUTH_TOKEN !== input.clientToken) {
    warnings.push('~/.claude/settings.json sets another ANTHROPIC_AUTH_TOKEN in its env block, which wins over the shell');
  }
  return warnings;
}
