/**
 * Aider: OpenAI-compatible endpoint through OPENAI_API_BASE / OPENAI_API_KEY and models named
 * `openai/<model>` (Aider's habit), or the same in ~/.aider.conf.yml.
 */
import { fileSnippet, openAiBaseUrl, setAll } from './file-snippet';
import { exportLines, shellQuote } from './shell';
import type { AgentDefinition } from './types';

export const aider: AgentDefinition = {
  id: 'aider',
  name: 'Aider',
  // Aider reads: command line > environment > .aider.conf.yml.
  overridingEnv: [/^OPENAI_API_(BASE|KEY)$/, /^AIDER_(MODEL|WEAK_MODEL|OPENAI_API_BASE|OPENAI_API_KEY)$/],
  snippets: (input) => {
    const model = `openai/${input.models.main}`;
    const weak = `openai/${input.models.small}`;
    return [
      {
        kind: 'env',
        language: 'sh',
        title: 'Shell',
        text: exportLines({ OPENAI_API_BASE: openAiBaseUrl(input.baseUrl), OPENAI_API_KEY: input.clientToken, AIDER_MODEL: model, AIDER_WEAK_MODEL: weak }),
      },
      { kind: 'text', language: 'sh', title: 'Command line', text: `aider --model ${shellQuote(model)} --weak-model ${shellQuote(weak)}\n` },
      fileSnippet(
        '.aider.conf.yml',
        'yaml',
        setAll([], { 'openai-api-base': openAiBaseUrl(input.baseUrl), 'openai-api-key': input.clientToken, model, 'weak-model': weak }),
      ),
    ];
  },
};
