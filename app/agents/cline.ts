/**
 * Cline: the VS Code extension's "OpenAI Compatible" fields as text, and the Cline CLI's
 * ~/.cline/data/settings/providers.json (its `updatedAt` is required: without it the CLI
 * silently replaces the file).
 */
import { fileSnippet, openAiBaseUrl } from './file-snippet';
import { shellQuote } from './shell';
import type { AgentDefinition } from './types';

export const cline: AgentDefinition = {
  id: 'cline',
  name: 'Cline',
  overridingEnv: [],
  snippets: (input) => {
    const baseUrl = openAiBaseUrl(input.baseUrl);
    const { main } = input.models;
    return [
      {
        kind: 'text',
        language: 'text',
        title: 'VS Code: Cline settings',
        text: `API Provider: OpenAI Compatible\nBase URL: ${baseUrl}\nAPI Key: ${input.clientToken}\nModel ID: ${main}\n`,
      },
      {
        kind: 'text',
        language: 'sh',
        title: 'Cline CLI: one command',
        text: `cline auth -p openai-compatible -k ${shellQuote(input.clientToken)} -m ${shellQuote(main)} -b ${shellQuote(baseUrl)}\n`,
      },
      fileSnippet('.cline/data/settings/providers.json', 'json', [
        { op: 'set', path: ['version'], value: 1, onlyIfAbsent: true },
        { op: 'set', path: ['lastUsedProvider'], value: 'openai-compatible' },
        {
          op: 'set',
          path: ['providers', 'openai-compatible'],
          value: {
            updatedAt: (input.now ?? new Date()).toISOString(),
            settings: { provider: 'openai-compatible', apiKey: input.clientToken, model: main, baseUrl },
          },
        },
      ]),
    ];
  },
};
