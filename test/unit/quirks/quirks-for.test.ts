import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quirksFor, quirksNameFor, QUIRKS_NAMES } from '../../../app/quirks/index';
import { KIMI_TEXT_TOOL_CALLS } from '../../../app/quirks/kimi';
import { backendSchema, type BackendConfig } from '../../../app/config/schema';

/** A backend without any quirk flag. */
const plain: BackendConfig = { id: 'nim', format: 'openai', baseUrl: 'https://integrate.api.nvidia.com/v1', apiKey: 'env:K', model: 'moonshotai/kimi-k2.6' };
const withFields = (fields: Partial<BackendConfig>): BackendConfig => ({ ...plain, ...fields });

test('Kimi is inferred from the model id, whatever the host spells it', () => {
  for (const model of [
    'moonshotai/kimi-k2.6', // NIM
    'kimi-k2.6', // Moonshot
    'Kimi-K2-Instruct', // self-hosted, Hugging Face casing
    'moonshotai/Kimi-K2-Instruct-0905',
    'moonshotai/kimi-k2:free', // OpenRouter-style
    'kimi-k2-turbo-preview',
    'kimi-latest',
  ]) {
    const q = quirksFor(plain, model);
    assert.equal(q.name, 'kimi', model);
    assert.equal(q.echoReasoning, true, model);
    assert.equal(q.noForcedToolChoice, true, model);
    assert.equal(q.textToolCalls, KIMI_TEXT_TOOL_CALLS, model);
  }
});

test('other models get no quirks; "kimi" must be a whole word of the id', () => {
  for (const model of ['gpt-4.1', 'meta/llama-3.3-70b-instruct', 'moonshot-v1-8k', 'deepseek-ai/deepseek-v3', 'akimiya-7b', 'kimichat2']) {
    const q = quirksFor(plain, model);
    assert.equal(q.name, 'none', model);
    assert.equal(q.echoReasoning, false, model);
    assert.equal(q.noForcedToolChoice, false, model);
    assert.equal(q.textToolCalls, undefined, model);
  }
});

test('fixed sampling follows the Kimi version (K2.5 and later, thinking models); the backend flag wins', () => {
  assert.equal(quirksFor(plain, 'moonshotai/kimi-k2.6').fixedSampling, true);
  assert.equal(quirksFor(plain, 'moonshotai/kimi-k2.5').fixedSampling, true);
  assert.equal(quirksFor(plain, 'kimi-k2.7-code').fixedSampling, true);
  assert.equal(quirksFor(plain, 'kimi-k2-thinking').fixedSampling, true);
  assert.equal(quirksFor(plain, 'moonshotai/kimi-k2-instruct-0905').fixedSampling, false);
  assert.equal(quirksFor(plain, 'kimi-k2-turbo-preview').fixedSampling, false);
  assert.equal(quirksFor(withFields({ fixedSampling: false }), 'kimi-k2.6').fixedSampling, false);
  assert.equal(quirksFor(withFields({ fixedSampling: true }), 'gpt-4.1').fixedSampling, true);
});

test('"quirks" overrides the inference both ways', () => {
  assert.equal(quirksFor(withFields({ quirks: 'none' }), 'moonshotai/kimi-k2.6').name, 'none');
  assert.equal(quirksFor(withFields({ quirks: 'none' }), 'moonshotai/kimi-k2.6').echoReasoning, false);
  const forced = quirksFor(withFields({ quirks: 'kimi' }), 'my-finetune-v2');
  assert.equal(forced.name, 'kimi');
  assert.equal(forced.echoReasoning, true);
  assert.equal(forced.textToolCalls, KIMI_TEXT_TOOL_CALLS);
});

test('the old "kimi" flag is an alias: true = "kimi", false = "none"; "quirks" wins over it', () => {
  assert.equal(quirksFor(withFields({ kimi: true }), 'my-finetune-v2').name, 'kimi');
  assert.equal(quirksFor(withFields({ kimi: false }), 'moonshotai/kimi-k2.6').name, 'none');
  assert.equal(quirksFor(withFields({ kimi: false, quirks: 'kimi' }), 'x').name, 'kimi');
  assert.equal(quirksFor(withFields({ kimi: true, quirks: 'none' }), 'kimi-k2.6').name, 'none');
});

test('each request model decides: the small model and <backend>/<model> picks get their own profile', () => {
  const backend = withFields({ model: 'moonshotai/kimi-k2.6', smallModel: 'meta/llama-3.1-8b-instruct' });
  assert.equal(quirksFor(backend, backend.model).name, 'kimi');
  assert.equal(quirksFor(backend, backend.smallModel ?? '').name, 'none');
  assert.equal(quirksFor(withFields({ model: 'gpt-4.1' }), 'moonshotai/kimi-k2.5').name, 'kimi');
});

test('quirksNameFor names the profile of the backend main model', () => {
  assert.equal(quirksNameFor(withFields({ model: 'moonshotai/kimi-k2.6' })), 'kimi');
  assert.equal(quirksNameFor(withFields({ model: 'gpt-4.1' })), 'none');
  assert.equal(quirksNameFor(withFields({ model: 'gpt-4.1', quirks: 'kimi' })), 'kimi');
});

test('the config accepts "quirks" with the registry names only, and still accepts "kimi"', () => {
  const base = { ...plain, model: 'm' };
  assert.deepEqual([...QUIRKS_NAMES].sort(), ['kimi', 'none']);
  assert.equal(backendSchema.parse({ ...base, quirks: 'kimi' }).quirks, 'kimi');
  assert.equal(backendSchema.parse({ ...base, quirks: 'none' }).quirks, 'none');
  assert.equal(backendSchema.parse({ ...base, kimi: true }).kimi, true);
  assert.equal(backendSchema.safeParse({ ...base, quirks: 'llama' }).success, false);
});
