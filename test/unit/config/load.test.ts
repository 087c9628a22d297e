import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile, parseConfig } from '../../../app/config/load';
import { presetConfig } from '../../../app/config/presets';

const valid = {
  clientToken: 'client-token-0123456789',
  adminToken: 'admin-token-0123456789',
  active: 'nim',
  backends: [
    { id: 'nim', format: 'openai', baseUrl: 'https://integrate.api.nvidia.com/v1', apiKey: 'env:NVIDIA_API_KEY', model: 'moonshotai/kimi-k2.6', rpm: 40 },
    { id: 'moonshot', format: 'anthropic', baseUrl: 'https://api.moonshot.ai/anthropic', apiKey: 'env:MOONSHOT_API_KEY', model: 'kimi-k2.6' },
  ],
};

test('the issue example config is accepted', () => {
  const config = parseConfig(valid);
  assert.equal(config.active, 'nim');
  assert.equal(config.backends[0]?.rpm, 40);
});

test('a literal key is refused with a message saying where keys belong', () => {
  const bad = structuredClone(valid);
  bad.backends[1]!.apiKey = 'sk-literal-secret-value';
  assert.throws(
    () => parseConfig(bad, 'my.json'),
    (err: Error) =>
      err instanceof ConfigError &&
      err.message.includes('backends[1].apiKey') &&
      err.message.includes('env:NAME') &&
      err.message.includes('keychain') &&
      !err.message.includes('sk-literal-secret-value'),
  );
});

test('missing and invalid fields are named', () => {
  const bad = structuredClone(valid) as Record<string, unknown>;
  delete bad.active;
  (bad.backends as Array<Record<string, unknown>>)[0]!.baseUrl = 'not a url';
  (bad.backends as Array<Record<string, unknown>>)[1]!.format = 'grpc';
  assert.throws(() => parseConfig(bad), (err: Error) => /(^|\s)active:/m.test(err.message) && err.message.includes('backends[0].baseUrl') && err.message.includes('backends[1].format'));
});

test('active must name a backend; ids must be unique; unknown fields are refused', () => {
  assert.throws(() => parseConfig({ ...valid, active: 'nope' }), /active: no backend has id "nope"/);
  assert.throws(() => parseConfig({ ...valid, backends: [valid.backends[0], valid.backends[0]] }), /duplicate backend id "nim"/);
  assert.throws(() => parseConfig({ ...valid, colour: 'blue' }), /colour/);
});

test('loadConfigFile reports unreadable files and bad JSON with the path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pb-config-'));
  await assert.rejects(loadConfigFile(join(dir, 'missing.json')), /cannot read config file .*missing\.json: no such file/);
  const file = join(dir, 'broken.json');
  writeFileSync(file, '{"active": ');
  await assert.rejects(loadConfigFile(file), /broken\.json is not valid JSON/);
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify(valid));
  assert.equal((await loadConfigFile(good)).backends.length, 2);
});

test('presets validate and pick the backend whose key is present', () => {
  assert.equal(parseConfig(presetConfig({})).active, 'moonshot');
  assert.equal(presetConfig({ NVIDIA_API_KEY: 'x' }).active, 'nim');
  assert.equal(presetConfig({ MOONSHOT_API_KEY: 'x', NVIDIA_API_KEY: 'y' }).active, 'moonshot');
  const nim = presetConfig({}).backends.find((b) => b.id === 'nim');
  assert.equal(nim?.rpm, 40);
});

test('overflowTo must name another backend of the config', () => {
  const withOverflow = (to: string) => ({ ...valid, backends: [{ ...valid.backends[0], overflowTo: to }, valid.backends[1]] });
  assert.equal(parseConfig(withOverflow('moonshot')).backends[0]?.overflowTo, 'moonshot');
  assert.throws(() => parseConfig(withOverflow('nope')), /backends\[0\]\.overflowTo: no backend has id "nope"/);
  assert.throws(() => parseConfig(withOverflow('nim')), /backends\[0\]\.overflowTo: a backend cannot overflow to itself/);
});
