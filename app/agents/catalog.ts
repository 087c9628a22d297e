/** Every agent Patchbay can configure, in the order the UI lists them. */
import { aider } from './aider';
import { claudeCode } from './claude-code';
import { cline } from './cline';
import { codex } from './codex';
import { continueAgent } from './continue';
import { goose } from './goose';
import { kimiCode } from './kimi-code';
import { opencode } from './opencode';
import type { AgentDefinition } from './types';

export const AGENTS: readonly AgentDefinition[] = [claudeCode, codex, opencode, aider, goose, cline, continueAgent, kimiCode];

export function agentById(id: string): AgentDefinition | undefined {
  return AGENTS.find((a) => a.id === id);
}
