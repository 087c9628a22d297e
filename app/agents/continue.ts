/**
 * Continue (VS Code extension and the `cn` CLI alike): a `Patchbay` model entry in
 * ~/.continue/config.yaml (provider openai, apiBase with /v1); other models are left alone.
 */
import { fileSnippet, openAiBaseUrl } from './file-snippet';
import type { AgentDefinition } from './types';

export const CONTINUE_MODEL_NAME = 'Patchbay';

export const continueAgent: AgentDefinition = {
  id: 'continue',
  name: 'Continue',
  overridingEnv: [],
  snippets: (input) => [
    fileSnippet('.continue/config.yaml', 'yaml', [
      { op: 'set', path: ['name'], value: 'Local config', onlyIfAbsent: true },
      { op: 'set', path: ['version'], value: '1.0.0', onlyIfAbsent: true },
      { op: 'set', path: ['schema'], value: 'v1', onlyIfAbsent: true },
      {
        op: 'upsert-item',
        path: ['models'],
        matchKey: 'name',
        matchValue: CONTINUE_MODEL_NAME,
        value: { name: CONTINUE_MODEL_NAME, provider: 'openai', model: input.models.main, apiBase: openAiBaseUrl(input.baseUrl), apiKey: input.clientToken },
      },
    ]),
  ],
};
