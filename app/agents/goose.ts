/**
 * Goose: its built-in OpenAI provider pointed at Patchbay (OPENAI_HOST without /v1 plus
 * OPENAI_BASE_PATH). The key is a secret Goose reads from OPENAI_API_KEY or its keyring,
 * never from config.yaml, so the file snippet carries no key.
 */
import { fileSnippet, setAll } from './file-snippet';
import { exportLines } from './shell';
import type { AgentDefinition, AgentInput } from './types';

function settings(input: AgentInput): Record<string, string> {
  return { GOOSE_PROVIDER: 'openai', GOOSE_MODEL: input.models.main, OPENAI_HOST: input.baseUrl, OPENAI_BASE_PATH: 'v1/chat/completions' };
}

export const goose: AgentDefinition = {
  id: 'goose',
  name: 'Goose',
  // Goose reads each setting from the environment first, then config.yaml.
  overridingEnv: [/^GOOSE_(PROVIDER|MODEL)$/, /^OPENAI_(HOST|BASE_PATH|API_KEY)$/],
  snippets: (input) => [
    { kind: 'env', language: 'sh', title: 'Shell', text: exportLines({ ...settings(input), OPENAI_API_KEY: input.clientToken }) },
    fileSnippet('.config/goose/config.yaml', 'yaml', setAll([], settings(input)), '~/.config/goose/config.yaml (the key: OPENAI_API_KEY or `goose configure`)'),
  ],
};
