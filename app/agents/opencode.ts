/**
 * OpenCode: a `patchbay` provider (@ai-sdk/openai-compatible, baseURL with /v1) in the global
 * ~/.config/opencode/opencode.json, and `model` / `small_model` pointing at it.
 */
import { fileSnippet, openAiBaseUrl } from './file-snippet';
import type { AgentDefinition, AgentInput, ConfigEdit } from './types';

function modelEntry(name: string, input: AgentInput): Record<string, unknown> {
  return { name, tool_call: true, ...(input.contextWindow ? { limit: { context: input.contextWindow, output: 32000 } } : {}) };
}

export const opencode: AgentDefinition = {
  id: 'opencode',
  name: 'OpenCode',
  overridingEnv: [/^OPENCODE_CONFIG(_CONTENT)?$/],
  snippets: (input) => {
    const { main, small } = input.models;
    const edits: ConfigEdit[] = [
      { op: 'set', path: ['$schema'], value: 'https://opencode.ai/config.json', onlyIfAbsent: true },
      {
        op: 'set',
        path: ['provider', 'patchbay'],
        value: {
          npm: '@ai-sdk/openai-compatible',
          name: 'Patchbay',
          options: { baseURL: openAiBaseUrl(input.baseUrl), apiKey: input.clientToken },
          models: { [main]: modelEntry(main, input), ...(small !== main ? { [small]: modelEntry(small, input) } : {}) },
        },
      },
      { op: 'set', path: ['model'], value: `patchbay/${main}` },
      { op: 'set', path: ['small_model'], value: `patchbay/${small}` },
    ];
    return [fileSnippet('.config/opencode/opencode.json', 'json', edits)];
  },
};
