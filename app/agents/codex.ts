/**
 * Codex CLI: a `patchbay` model provider speaking the Responses API in ~/.codex/config.toml,
 * chosen as `model_provider`; the token comes from PATCHBAY_TOKEN (`env_key`).
 */
import { fileSnippet, openAiBaseUrl, setAll } from './file-snippet';
import { exportLines } from './shell';
import type { AgentDefinition } from './types';

export const CODEX_TOKEN_VAR = 'PATCHBAY_TOKEN';

export const codex: AgentDefinition = {
  id: 'codex',
  name: 'Codex CLI',
  overridingEnv: [/^CODEX_HOME$/, new RegExp(`^${CODEX_TOKEN_VAR}$`)],
  snippets: (input) => [
    { kind: 'env', language: 'sh', title: 'Shell (the token Codex reads through env_key)', text: exportLines({ [CODEX_TOKEN_VAR]: input.clientToken }) },
    fileSnippet('.codex/config.toml', 'toml', [
      ...setAll([], { model_provider: 'patchbay', model: input.models.main }),
      ...setAll(['model_providers', 'patchbay'], {
        name: 'Patchbay',
        base_url: openAiBaseUrl(input.baseUrl),
        env_key: CODEX_TOKEN_VAR,
        wire_api: 'responses',
      }),
    ]),
  ],
};
