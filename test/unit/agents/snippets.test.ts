/**
 * Every agent's snippets: equal to their golden files (UPDATE_GOLDEN=1 rewrites them), each
 * parsed by its own format, shell checked by `bash -n` and by sourcing it, and the facts each
 * agent needs (URL with or without /v1, token, model names) present where it reads them.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AGENTS, agentById } from '../../../app/agents/catalog';
import type { AgentInput, Snippet } from '../../../app/agents/types';
import { bashSyntaxError, parseSnippet, sourcedEnv } from './snippet-check';

const GOLDEN = join(import.meta.dirname, '..', '..', 'fixtures', 'agents', 'golden');
const INPUT: AgentInput = {
  baseUrl: 'http://127.0.0.1:7420',
  clientToken: 'pb-client-golden-0123456789abcdef',
  models: { main: 'moonshotai/kimi-k2.6', small: 'moonshotai/kimi-k2.5' },
  now: new Date('2026-11-25T12:00:00.000Z'),
};

function render(snippets: Snippet[]): string {
  return snippets.map((s) => `### ${s.kind} ${s.language}${s.target ? ` ~/${s.target}` : ''} | ${s.title}\n${s.text}`).join('\n');
}

function snippetsOf(id: string, input: AgentInput = INPUT): Snippet[] {
  return agentById(id)!.snippets(input);
}

function file(id: string, input: AgentInput = INPUT): Record<string, unknown> {
  const s = snippetsOf(id, input).find((x) => x.kind === 'file');
  assert.ok(s, `${id} has a file snippet`);
  return parseSnippet(s) as Record<string, unknown>;
}

function envOf(id: string, input: AgentInput = INPUT): Snippet {
  const s = snippetsOf(id, input).find((x) => x.kind === 'env');
  assert.ok(s, `${id} has an env snippet`);
  return s;
}

test('eight agents, unique ids', () => {
  assert.deepEqual(AGENTS.map((a) => a.id), ['claude-code', 'codex', 'opencode', 'aider', 'goose', 'cline', 'continue', 'kimi-code']);
});

for (const agent of AGENTS) {
  test(`${agent.id}: snippets equal the golden file`, () => {
    const path = join(GOLDEN, `${agent.id}.txt`);
    const text = render(agent.snippets(INPUT));
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) writeFileSync(path, text);
    assert.equal(text, readFileSync(path, 'utf8'));
  });

  test(`${agent.id}: each snippet parses in its format; shell passes bash -n; files carry their edits`, () => {
    for (const s of agent.snippets(INPUT)) {
      assert.ok(s.text.endsWith('\n'), `${s.title} ends with a newline`);
      if (s.language === 'sh') assert.equal(bashSyntaxError(s.text), '', s.text);
      else assert.doesNotThrow(() => parseSnippet(s), s.title);
      if (s.kind === 'file') {
        assert.ok(s.target && !s.target.startsWith('/') && s.edits?.length, `${s.title}: relative target and edits`);
        assert.equal(s.language, s.format);
      }
    }
  });
}

test('Claude Code: the exports, sourced, give every variable; settings.json env block has the same', () => {
  const expected = {
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:7420',
    ANTHROPIC_AUTH_TOKEN: INPUT.clientToken,
    ANTHROPIC_MODEL: 'moonshotai/kimi-k2.6',
    ANTHROPIC_DEFAULT_OPUS_MODEL: 'moonshotai/kimi-k2.6',
    ANTHROPIC_DEFAULT_SONNET_MODEL: 'moonshotai/kimi-k2.6',
    ANTHROPIC_DEFAULT_HAIKU_MODEL: 'moonshotai/kimi-k2.5',
    API_TIMEOUT_MS: '600000',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_ATTRIBUTION_HEADER: '0',
  };
  assert.deepEqual(sourcedEnv(envOf('claude-code').text, Object.keys(expected)), expected);
  assert.deepEqual(file('claude-code'), { env: expected });
});

test('shell values survive quoting: a token and model with quotes, spaces, $ and backslashes come back exact', () => {
  const odd: AgentInput = { ...INPUT, clientToken: `pb-'quoted' $HOME \\n "x"`, models: { main: `m'a in $(x)`, small: 's`b`' } };
  for (const agent of AGENTS) {
    for (const s of agent.snippets(odd).filter((x) => x.language === 'sh')) assert.equal(bashSyntaxError(s.text), '', `${agent.id}: ${s.text}`);
  }
  assert.deepEqual(sourcedEnv(envOf('claude-code', odd).text, ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_MODEL', 'ANTHROPIC_DEFAULT_HAIKU_MODEL']), {
    ANTHROPIC_AUTH_TOKEN: odd.clientToken,
    ANTHROPIC_MODEL: odd.models.main,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: odd.models.small,
  });
  assert.deepEqual(sourcedEnv(envOf('codex', odd).text, ['PATCHBAY_TOKEN']), { PATCHBAY_TOKEN: odd.clientToken });
  // The file formats quote for themselves.
  assert.equal((file('codex', odd).model as string), odd.models.main);
  assert.equal(((file('cline', odd).providers as Record<string, { settings: { apiKey: string } }>)['openai-compatible']!.settings.apiKey), odd.clientToken);
});

test('Codex: model_providers.patchbay speaks responses at /v1 with env_key; the env line sets that variable', () => {
  const toml = file('codex');
  assert.equal(toml.model_provider, 'patchbay');
  assert.equal(toml.model, 'moonshotai/kimi-k2.6');
  assert.deepEqual((toml.model_providers as Record<string, unknown>).patchbay, {
    name: 'Patchbay',
    base_url: 'http://127.0.0.1:7420/v1',
    env_key: 'PATCHBAY_TOKEN',
    wire_api: 'responses',
  });
  assert.deepEqual(sourcedEnv(envOf('codex').text, ['PATCHBAY_TOKEN']), { PATCHBAY_TOKEN: INPUT.clientToken });
});

test('OpenCode: openai-compatible provider with baseURL /v1, both models declared, model and small_model chosen', () => {
  const json = file('opencode') as { provider: { patchbay: { npm: string; options: { baseURL: string; apiKey: string }; models: Record<string, unknown> } }; model: string; small_model: string };
  assert.equal(json.provider.patchbay.npm, '@ai-sdk/openai-compatible');
  assert.deepEqual(json.provider.patchbay.options, { baseURL: 'http://127.0.0.1:7420/v1', apiKey: INPUT.clientToken });
  assert.deepEqual(Object.keys(json.provider.patchbay.models), ['moonshotai/kimi-k2.6', 'moonshotai/kimi-k2.5']);
  assert.equal(json.model, 'patchbay/moonshotai/kimi-k2.6');
  assert.equal(json.small_model, 'patchbay/moonshotai/kimi-k2.5');
});

test('Aider: openai/<model> names, base with /v1, in env and .aider.conf.yml', () => {
  assert.deepEqual(sourcedEnv(envOf('aider').text, ['OPENAI_API_BASE', 'OPENAI_API_KEY', 'AIDER_MODEL', 'AIDER_WEAK_MODEL']), {
    OPENAI_API_BASE: 'http://127.0.0.1:7420/v1',
    OPENAI_API_KEY: INPUT.clientToken,
    AIDER_MODEL: 'openai/moonshotai/kimi-k2.6',
    AIDER_WEAK_MODEL: 'openai/moonshotai/kimi-k2.5',
  });
  assert.deepEqual(file('aider'), {
    'openai-api-base': 'http://127.0.0.1:7420/v1',
    'openai-api-key': INPUT.clientToken,
    model: 'openai/moonshotai/kimi-k2.6',
    'weak-model': 'openai/moonshotai/kimi-k2.5',
  });
});

test('Goose: openai provider, host without /v1 plus the chat path; the key only in the env snippet', () => {
  const env = sourcedEnv(envOf('goose').text, ['GOOSE_PROVIDER', 'GOOSE_MODEL', 'OPENAI_HOST', 'OPENAI_BASE_PATH', 'OPENAI_API_KEY']);
  assert.deepEqual(env, { GOOSE_PROVIDER: 'openai', GOOSE_MODEL: 'moonshotai/kimi-k2.6', OPENAI_HOST: 'http://127.0.0.1:7420', OPENAI_BASE_PATH: 'v1/chat/completions', OPENAI_API_KEY: INPUT.clientToken });
  const { OPENAI_API_KEY: _key, ...settings } = env;
  assert.deepEqual(file('goose'), settings);
});

test('Cline: VS Code fields as text, providers.json with updatedAt and openai-compatible settings', () => {
  const text = snippetsOf('cline').find((s) => s.language === 'text')!.text;
  assert.match(text, /^Base URL: http:\/\/127\.0\.0\.1:7420\/v1$/m);
  assert.match(text, new RegExp(`^API Key: ${INPUT.clientToken}$`, 'm'));
  assert.match(text, /^Model ID: moonshotai\/kimi-k2\.6$/m);
  assert.deepEqual(file('cline'), {
    version: 1,
    lastUsedProvider: 'openai-compatible',
    providers: {
      'openai-compatible': {
        updatedAt: '2026-11-25T12:00:00.000Z',
        settings: { provider: 'openai-compatible', apiKey: INPUT.clientToken, model: 'moonshotai/kimi-k2.6', baseUrl: 'http://127.0.0.1:7420/v1' },
      },
    },
  });
});

test('Continue: config.yaml with name/version/schema and the Patchbay model entry', () => {
  assert.deepEqual(file('continue'), {
    name: 'Local config',
    version: '1.0.0',
    schema: 'v1',
    models: [{ name: 'Patchbay', provider: 'openai', model: 'moonshotai/kimi-k2.6', apiBase: 'http://127.0.0.1:7420/v1', apiKey: INPUT.clientToken }],
  });
});

test('Kimi Code: openai-type provider, model alias made default, context from the backend when known', () => {
  const toml = file('kimi-code', { ...INPUT, contextWindow: 131072 }) as { default_model: string; providers: Record<string, unknown>; models: Record<string, unknown> };
  assert.equal(toml.default_model, 'patchbay');
  assert.deepEqual(toml.providers.patchbay, { type: 'openai', base_url: 'http://127.0.0.1:7420/v1', api_key: INPUT.clientToken });
  assert.deepEqual(toml.models.patchbay, { provider: 'patchbay', model: 'moonshotai/kimi-k2.6', max_context_size: 131072 });
});
