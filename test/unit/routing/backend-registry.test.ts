import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendNotFoundError, BackendRegistry } from '../../../app/routing/backend-registry';
import type { BackendConfig } from '../../../app/config/schema';

const backends: BackendConfig[] = [
  { id: 'moonshot', format: 'anthropic', baseUrl: 'https://api.moonshot.ai/anthropic', apiKey: 'env:MOONSHOT_KEY', model: 'kimi-k2.6' },
  { id: 'nim', format: 'openai', baseUrl: 'https://integrate.api.nvidia.com/v1', apiKey: 'env:NIM_KEY', model: 'moonshotai/kimi-k2.6' },
];

test('lists, gets and reports the active backend', () => {
  const registry = new BackendRegistry(backends, 'nim');
  assert.deepEqual(registry.list().map((b) => b.id), ['moonshot', 'nim']);
  assert.equal(registry.get('moonshot')?.model, 'kimi-k2.6');
  assert.equal(registry.get('nope'), undefined);
  assert.equal(registry.active.id, 'nim');
});

test('setActive switches and notifies; unknown ids throw BackendNotFoundError', () => {
  const registry = new BackendRegistry(backends, 'nim');
  const seen: string[] = [];
  const off = registry.on('change', (c) => seen.push(`${c.previous}->${c.active}`));
  registry.setActive('moonshot');
  assert.equal(registry.active.id, 'moonshot');
  assert.throws(() => registry.setActive('missing'), BackendNotFoundError);
  assert.equal(registry.active.id, 'moonshot');
  off();
  registry.setActive('nim');
  assert.deepEqual(seen, ['nim->moonshot']);
});

test('constructing with an unknown active id throws', () => {
  assert.throws(() => new BackendRegistry(backends, 'ghost'), /ghost/);
});
