/**
 * Kimi Code (Moonshot's CLI): a `patchbay` provider of type `openai` (Chat Completions) and a
 * `patchbay` model alias made the default, in ~/.kimi-code/config.toml.
 */
import { fileSnippet, openAiBaseUrl, setAll } from './file-snippet';
import type { AgentDefinition } from './types';

/** Kimi K2's native window, used when the backend does not say. */
const DEFAULT_CONTEXT = 262144;

export const kimiCode: AgentDefinition = {
  id: 'kimi-code',
  name: 'Kimi Code',
  overridingEnv: [/^KIMI_CODE_HOME$/, /^KIMI_(BASE_URL|API_KEY|MODEL_NAME)$/],
  snippets: (input) => [
    fileSnippet('.kimi-code/config.toml', 'toml', [
      ...setAll([], { default_model: 'patchbay' }),
      ...setAll(['providers', 'patchbay'], { type: 'openai', base_url: openAiBaseUrl(input.baseUrl), api_key: input.clientToken }),
      ...setAll(['models', 'patchbay'], { provider: 'patchbay', model: input.models.main, max_context_size: input.contextWindow ?? DEFAULT_CONTEXT }),
    ]),
  ],
};
