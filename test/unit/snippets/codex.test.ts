/** The Codex CLI snippet: config.toml that parses to the provider Codex needs, and the token's env line. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { parse } from 'smol-toml';
import { CODEX_TOKEN_ENV, codexConfigToml, codexEnvLine } from '../../../app/snippets/codex';

const target = { baseUrl: 'http://127.0.0.1:7420', clientToken: "pb-client-abc'def" };

test('config.toml parses to a responses provider at the proxy /v1 reading the token from env', () => {
  // smol-toml's tables are not plain objects: compare their JSON
  const parsed = JSON.parse(JSON.stringify(parse(codexConfigToml(target)))) as unknown;
  assert.deepEqual(parsed, {
    model_provider: 'patchbay',
    model_providers: { patchbay: { name: 'Patchbay', base_url: 'http://127.0.0.1:7420/v1', env_key: CODEX_TOKEN_ENV, wire_api: 'responses' } },
  });
});

test('a model, when given, is a top-level key (not swallowed by the provider table)', () => {
  const parsed = parse(codexConfigToml({ ...target, model: 'kimi-k2.6' }));
  assert.equal(parsed.model, 'kimi-k2.6');
  assert.equal((parsed.model_providers as Record<string, Record<string, unknown>>).patchbay?.model, undefined);
});

test('quotes and backslashes in the URL stay valid TOML', () => {
  const parsed = parse(codexConfigToml({ baseUrl: 'http://127.0.0.1:1/a"b\\c', clientToken: 't' }));
  assert.equal((parsed.model_providers as Record<string, Record<string, unknown>>).patchbay?.base_url, 'http://127.0.0.1:1/a"b\\c/v1');
});

test('the config never holds the token; the env line exports it, shell-safe', () => {
  assert.ok(!codexConfigToml(target).includes(target.clientToken));
  const line = codexEnvLine(target);
  assert.match(line, new RegExp(`^export ${CODEX_TOKEN_ENV}=`));
  const value = execFileSync('sh', ['-c', `${line}; printf %s "$${CODEX_TOKEN_ENV}"`], { encoding: 'utf8' });
  assert.equal(value, target.clientToken);
});
