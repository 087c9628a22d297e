/**
 * Problems of Patchbay's own configuration are 400s (no client retries them: docs/client-retries.md)
 * with the fix in the message: missing key (env or keychain), unusable keychain, unreachable backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackendConfig } from '../../../app/config/schema';
import { ApiErrorException, PROXY_CONFIG_ERROR_CODE } from '../../../app/ir/errors';
import { backendKey } from '../../../app/proxy/upstream/backend-key';
import { connectionError } from '../../../app/proxy/upstream/upstream-client';
import { KeychainUnavailableError } from '../../../app/vault/keychain-errors';
import { EnvKeySource, type KeySource } from '../../../app/vault/key-source';

const nim: BackendConfig = { id: 'nim', format: 'openai', baseUrl: 'https://integrate.api.nvidia.com/v1', apiKey: 'env:NVIDIA_API_KEY', model: 'm' };

async function refusal(source: KeySource, backend: BackendConfig, proxyUrl?: string) {
  const err = await backendKey(source, backend, proxyUrl ? { proxyUrl } : {}).then(
    () => assert.fail('a key was returned'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApiErrorException, String(err));
  return err.apiError;
}

test('env key not set: 400 naming the variable, the restart, and the exact curl call to use the keychain instead', async () => {
  const err = await refusal(new EnvKeySource({}), nim, 'http://127.0.0.1:7555');
  assert.equal(err.status, 400);
  assert.equal(err.code, PROXY_CONFIG_ERROR_CODE);
  assert.match(err.message, /NVIDIA_API_KEY is not set/);
  assert.match(err.message, /restart Patchbay/);
  assert.ok(err.message.includes(`curl -X PUT http://127.0.0.1:7555/api/backends/nim/key`), err.message);
});

test('keychain backend without a stored key: 400 with the curl call', async () => {
  const source: KeySource = { getKey: async () => undefined };
  const err = await refusal(source, { ...nim, apiKey: 'keychain' });
  assert.equal(err.status, 400);
  assert.match(err.message, /nothing is stored in the OS keychain/);
  assert.match(err.message, /curl -X PUT .*\/api\/backends\/nim\/key/);
});

test('keychain unavailable: 400 (not a bare 500) carrying the keychain fix and the env: alternative', async () => {
  const source: KeySource = {
    getKey: async () => {
      throw new KeychainUnavailableError('Cannot autolaunch D-Bus', 'OS keychain unavailable (Cannot autolaunch D-Bus). Fix: install gnome-keyring');
    },
  };
  const err = await refusal(source, { ...nim, apiKey: 'keychain' });
  assert.equal(err.status, 400);
  assert.match(err.message, /OS keychain unavailable .*install gnome-keyring/);
  assert.match(err.message, /"apiKey":"env:<NAME>"/);
});

test('"none" backends and present keys pass', async () => {
  assert.equal(await backendKey(new EnvKeySource({}), { ...nim, apiKey: 'none' }), undefined);
  assert.equal(await backendKey(new EnvKeySource({ NVIDIA_API_KEY: 'nvapi-xyz' }), nim), 'nvapi-xyz');
});

function withCode(code: string): Error {
  return Object.assign(new Error(`connect ${code}`), { code });
}

test('connection errors: no such host and a refused loopback port are 400 with the fix; the rest stay retryable 502/504', () => {
  const dns = connectionError(nim, withCode('ENOTFOUND'), undefined, 'before');
  assert.equal(dns.status, 400);
  assert.match(dns.message, /no such host.*PATCH \/api\/backends\/nim/);
  const local = { ...nim, baseUrl: 'http://127.0.0.1:8000/v1' };
  const refused = connectionError(local, withCode('ECONNREFUSED'), undefined, 'before');
  assert.equal(refused.status, 400);
  assert.match(refused.message, /nothing listens at http:\/\/127\.0\.0\.1:8000\/v1/);
  assert.equal(connectionError(nim, withCode('ECONNREFUSED'), undefined, 'before').status, 502);
  assert.equal(connectionError(nim, withCode('EAI_AGAIN'), undefined, 'before').status, 502);
  assert.equal(connectionError(nim, withCode('UPSTREAM_CONNECT_TIMEOUT'), undefined, 'before').status, 504);
  assert.equal(connectionError(local, withCode('ECONNREFUSED'), undefined, 'during').status, 502);
});
