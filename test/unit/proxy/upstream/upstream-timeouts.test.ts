// Upstream timeouts: long defaults for slow thinking models, the older `timeoutMs` sets both,
// the specific settings win over it; a timeout's message names the wait and the setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendConfig } from '../../../../app/config/schema';
import {
  connectionError,
  DEFAULT_FIRST_BYTE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  upstreamTimeouts,
} from '../../../../app/proxy/upstream/upstream-client';

const backend = (extra: Partial<BackendConfig> = {}): BackendConfig => ({
  id: 'b',
  format: 'openai',
  baseUrl: 'https://example.test/v1',
  apiKey: 'none',
  model: 'm',
  ...extra,
});

test('defaults: 10 minutes to the first byte, 5 minutes of silence mid-answer', () => {
  assert.equal(DEFAULT_FIRST_BYTE_TIMEOUT_MS, 600_000);
  assert.equal(DEFAULT_IDLE_TIMEOUT_MS, 300_000);
  assert.deepEqual(upstreamTimeouts(backend()), { firstByteMs: 600_000, idleMs: 300_000 });
});

test('timeoutMs sets both; firstByteTimeoutMs and idleTimeoutMs win over it', () => {
  assert.deepEqual(upstreamTimeouts(backend({ timeoutMs: 5000 })), { firstByteMs: 5000, idleMs: 5000 });
  assert.deepEqual(upstreamTimeouts(backend({ timeoutMs: 5000, idleTimeoutMs: 700 })), { firstByteMs: 5000, idleMs: 700 });
  assert.deepEqual(upstreamTimeouts(backend({ firstByteTimeoutMs: 90_000 })), { firstByteMs: 90_000, idleMs: 300_000 });
});

test('a timeout is a 504 whose message names the wait that ran out and its setting', () => {
  const headers = connectionError(backend({ firstByteTimeoutMs: 120_000 }), Object.assign(new Error('Headers Timeout Error'), { code: 'UPSTREAM_HEADERS_TIMEOUT' }), undefined, 'before');
  assert.equal(headers.kind, 'timeout');
  assert.equal(headers.status, 504);
  assert.match(headers.message, /backend "b" \(example\.test\) timed out: no answer within 120 s \(the backend's firstByteTimeoutMs\)/);
  const body = connectionError(backend({ idleTimeoutMs: 1500 }), Object.assign(new Error('Body Timeout Error'), { code: 'UPSTREAM_BODY_TIMEOUT' }), undefined, 'during');
  assert.equal(body.kind, 'timeout');
  assert.match(body.message, /nothing received for 1500 ms in the middle of its answer \(the backend's idleTimeoutMs\)/);
});
