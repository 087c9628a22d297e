import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editAnthropicRequest, editOpenAIRequest } from '../../../../app/proxy/adapt/pass-through-edits';
import type { BackendConfig } from '../../../../app/config/schema';

const moonshot: BackendConfig = { id: 'm', format: 'anthropic', baseUrl: 'https://api.moonshot.ai/anthropic', apiKey: 'env:K', model: 'kimi-k2.6', maxOutputTokens: 1000, fixedSampling: true };
const anthropic: BackendConfig = { ...moonshot, baseUrl: 'https://api.anthropic.com', fixedSampling: false };
const nim: BackendConfig = { id: 'n', format: 'openai', baseUrl: 'https://integrate.api.nvidia.com/v1', apiKey: 'env:K', model: 'moonshotai/kimi-k2.6', maxOutputTokens: 500, fixedSampling: true };
const attribution = { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197' };

test('Anthropic pass-through: model mapped, max_tokens clamped, sampling removed, attribution removed for third parties', () => {
  const out = editAnthropicRequest(
    { model: 'claude-x', max_tokens: 32000, temperature: 1, top_k: 5, system: [attribution, { type: 'text', text: 'sys' }], metadata: { user_id: 'u' } },
    { backend: moonshot, upstreamModel: 'kimi-k2.6' },
  );
  assert.equal(out.model, 'kimi-k2.6');
  assert.equal(out.max_tokens, 1000);
  assert.equal('temperature' in out, false);
  assert.equal('top_k' in out, false);
  assert.deepEqual(out.system, [{ type: 'text', text: 'sys' }]);
  assert.deepEqual(out.metadata, { user_id: 'u' }, 'unknown-to-us fields survive');
});

test('api.anthropic.com keeps the attribution block; count_tokens gets no max_tokens', () => {
  const out = editAnthropicRequest({ model: 'c', system: [attribution] }, { backend: anthropic, upstreamModel: 'claude', countTokens: true });
  assert.deepEqual(out.system, [attribution]);
  assert.equal('max_tokens' in out, false);
});

test('OpenAI pass-through clamps both max fields, fills max_tokens when absent, drops fixed sampling', () => {
  const out = editOpenAIRequest({ model: 'x', max_completion_tokens: 9000, n: 2, top_p: 0.3, stream_options: { include_usage: true } }, { backend: nim, upstreamModel: 'moonshotai/kimi-k2.6' });
  assert.equal(out.max_completion_tokens, 500);
  assert.equal('max_tokens' in out, false);
  assert.equal('n' in out, false);
  assert.equal('top_p' in out, false);
  assert.deepEqual(out.stream_options, { include_usage: true });
  assert.equal(editOpenAIRequest({ model: 'x' }, { backend: nim, upstreamModel: 'y' }).max_tokens, 500);
});

test('OpenAI pass-through to a Kimi backend: tool-call turns get reasoning_content, forced tool_choice becomes auto', () => {
  const kimi = { ...nim, kimi: true };
  const call = { id: 'c1', type: 'function', function: { name: 'write', arguments: '{}' } };
  const out = editOpenAIRequest(
    { model: 'x', tool_choice: 'required', messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: 'c1', content: 'ok' }] },
    { backend: kimi, upstreamModel: 'moonshotai/kimi-k2.6' },
  );
  const messages = out.messages as Array<Record<string, unknown>>;
  assert.equal(typeof messages[1]!.reasoning_content, 'string');
  assert.ok((messages[1]!.reasoning_content as string).length > 0);
  assert.equal(out.tool_choice, 'auto');
  const plain = editOpenAIRequest({ model: 'x', tool_choice: 'required', messages: [] }, { backend: { ...nim, kimi: false }, upstreamModel: 'y' });
  assert.equal(plain.tool_choice, 'required', 'non-Kimi backends keep it');
});

test('OpenAI pass-through: the quirks follow the upstream model, with no flag in the config', () => {
  const { fixedSampling: _unused, ...noFlags } = nim;
  const call = { id: 'c1', type: 'function', function: { name: 'write', arguments: '{}' } };
  const body = { model: 'x', temperature: 0.2, tool_choice: 'required', messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: null, tool_calls: [call] }] };
  const kimi = editOpenAIRequest(body, { backend: { ...noFlags, model: 'meta/llama-3.3-70b-instruct' }, upstreamModel: 'moonshotai/kimi-k2.6' });
  assert.equal((kimi.messages as Array<Record<string, unknown>>)[1]!.reasoning_content, ' ');
  assert.equal(kimi.tool_choice, 'auto');
  assert.equal('temperature' in kimi, false, 'k2.6 fixes sampling');
  const llama = editOpenAIRequest(body, { backend: noFlags, upstreamModel: 'meta/llama-3.3-70b-instruct' });
  assert.equal((llama.messages as Array<Record<string, unknown>>)[1]!.reasoning_content, undefined, 'a small model of another family gets none');
  assert.equal(llama.tool_choice, 'required');
  assert.equal(llama.temperature, 0.2);
  const none = editOpenAIRequest(body, { backend: { ...noFlags, quirks: 'none' }, upstreamModel: 'moonshotai/kimi-k2.6' });
  assert.equal(none.tool_choice, 'required', '"quirks": "none" turns them off');
});

test('Anthropic pass-through: fixed sampling follows the model; a profile given in the options is used as is', () => {
  const { fixedSampling: _unused, ...noFlags } = moonshot;
  assert.equal('temperature' in editAnthropicRequest({ model: 'c', temperature: 1 }, { backend: noFlags, upstreamModel: 'kimi-k2.6' }), false);
  assert.equal(editAnthropicRequest({ model: 'c', temperature: 1 }, { backend: noFlags, upstreamModel: 'kimi-k2-turbo-preview' }).temperature, 1);
  const given = { name: 'none', fixedSampling: false, echoReasoning: false, noForcedToolChoice: false };
  assert.equal(editAnthropicRequest({ model: 'c', temperature: 1 }, { backend: noFlags, upstreamModel: 'kimi-k2.6', quirks: given }).temperature, 1);
});
