/** A mistyped `<backend>/` prefix is a configuration error naming the backends; NIM-style model ids keep working. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendConfig } from '../../../app/config/schema';
import { ApiErrorException } from '../../../app/ir/errors';
import { BackendRegistry } from '../../../app/routing/backend-registry';
import { editDistance } from '../../../app/routing/edit-distance';
import { resolveRoute } from '../../../app/routing/model-router';

const backends: BackendConfig[] = [
  { id: 'moonshot', format: 'anthropic', baseUrl: 'https://api.moonshot.ai/anthropic', apiKey: 'env:A', model: 'kimi-k2.6' },
  { id: 'nim', format: 'openai', baseUrl: 'https://integrate.api.nvidia.com/v1', apiKey: 'env:B', model: 'moonshotai/kimi-k2.6' },
];
const registry = new BackendRegistry(backends, 'nim');

function refusal(model: string): ApiErrorException {
  try {
    resolveRoute(registry, model);
  } catch (err) {
    if (err instanceof ApiErrorException) return err;
    throw err;
  }
  assert.fail(`"${model}" was routed, not refused`);
}

test('edit distance counts insertions, deletions and substitutions', () => {
  assert.equal(editDistance('moonshot', 'moonshot'), 0);
  assert.equal(editDistance('mooonshot', 'moonshot'), 1);
  assert.equal(editDistance('nmi', 'nim'), 2);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('openai', 'nim'), 5);
});

test('a prefix within edit distance 2 of a backend id is refused with a 400 naming the backends and the fix', () => {
  const err = refusal('mooonshot/kimi-k2.6').apiError;
  assert.equal(err.status, 400);
  assert.equal(err.kind, 'invalid_request');
  assert.match(err.message, /"mooonshot\/", which is not a backend/);
  assert.match(err.message, /"moonshot", "nim"/);
  assert.match(err.message, /Fix: .*"moonshot\/kimi-k2\.6"/);
  assert.equal(refusal('ni/claude-sonnet-4-6').apiError.status, 400);
});

test('an unknown prefix followed by a model of some backend is refused', () => {
  assert.match(refusal('kimi/kimi-k2.6').apiError.message, /e\.g\. "moonshot\/kimi-k2\.6"/);
});

test('the refusal also applies to the name after a backend prefix (failover composes <id>/<requested>)', () => {
  assert.equal(refusal('moonshot/mooonshot/kimi-k2.6').apiError.status, 400);
});

test('NIM model ids and their namespace keep working; unrelated slashed names are substituted as before', () => {
  assert.equal(resolveRoute(registry, 'moonshotai/kimi-k2.6').upstreamModel, 'moonshotai/kimi-k2.6');
  assert.equal(resolveRoute(registry, 'moonshot/moonshotai/kimi-k2.6').backend.id, 'moonshot');
  const sibling = resolveRoute(registry, 'moonshotai/kimi-k2.5');
  assert.deepEqual([sibling.backend.id, sibling.substituted], ['nim', true]);
  const other = resolveRoute(registry, 'openrouter/some-model');
  assert.deepEqual([other.backend.id, other.substituted], ['nim', true]);
  assert.equal(resolveRoute(registry, 'moonshot/kimi-k2.6').backend.id, 'moonshot');
});
