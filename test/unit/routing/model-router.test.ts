import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendRegistry } from '../../../app/routing/backend-registry';
import { resolveRoute } from '../../../app/routing/model-router';
import type { BackendConfig } from '../../../app/config/schema';

const backends: BackendConfig[] = [
  { id: 'moonshot', format: 'anthropic', baseUrl: 'https://api.moonshot.ai/anthropic', apiKey: 'env:A', model: 'kimi-k2.6', smallModel: 'kimi-k2-turbo' },
  { id: 'nim', format: 'openai', baseUrl: 'https://integrate.api.nvidia.com/v1', apiKey: 'env:B', model: 'moonshotai/kimi-k2.6' },
];
const registry = new BackendRegistry(backends, 'moonshot');

function route(model: string): [string, string, boolean] {
  const r = resolveRoute(registry, model);
  return [r.backend.id, r.upstreamModel, r.substituted];
}

test('claude names and opus/sonnet tiers map to the active model, haiku to smallModel', () => {
  assert.deepEqual(route('claude-opus-4-7'), ['moonshot', 'kimi-k2.6', false]);
  assert.deepEqual(route('claude-sonnet-4-6'), ['moonshot', 'kimi-k2.6', false]);
  assert.deepEqual(route('sonnet'), ['moonshot', 'kimi-k2.6', false]);
  assert.deepEqual(route('claude-haiku-4-5-20251001'), ['moonshot', 'kimi-k2-turbo', false]);
});

test('haiku falls back to model when the backend has no smallModel', () => {
  assert.deepEqual(route('nim/claude-haiku-4-5'), ['nim', 'moonshotai/kimi-k2.6', false]);
});

test('<backendId>/<model> picks that backend only when the prefix is a backend id', () => {
  assert.deepEqual(route('nim/moonshotai/kimi-k2.6'), ['nim', 'moonshotai/kimi-k2.6', false]);
  // a NIM model id has a slash but "moonshotai" is no backend: the active backend serves it
  assert.deepEqual(route('moonshotai/kimi-k2.6'), ['moonshot', 'kimi-k2.6', true]);
});

test("the backend's own models pass; other names are substituted and flagged", () => {
  assert.deepEqual(route('kimi-k2.6'), ['moonshot', 'kimi-k2.6', false]);
  assert.deepEqual(route('kimi-k2-turbo'), ['moonshot', 'kimi-k2-turbo', false]);
  assert.deepEqual(route('gpt-4o'), ['moonshot', 'kimi-k2.6', true]);
});

test('a model named after a <backendId>/ prefix is used as named (the client chose it); unprefixed names are substituted', () => {
  assert.deepEqual(route('nim/moonshotai/kimi-k2.5'), ['nim', 'moonshotai/kimi-k2.5', false]);
  assert.deepEqual(route('moonshot/kimi-k2.7-code'), ['moonshot', 'kimi-k2.7-code', false]);
  assert.deepEqual(route('nim/claude-sonnet-4-6'), ['nim', 'moonshotai/kimi-k2.6', false]);
  assert.deepEqual(route('kimi-k2.7-code'), ['moonshot', 'kimi-k2.6', true]);
});
