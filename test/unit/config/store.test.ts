import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigStore } from '../../../app/config/store';
import { presetConfig } from '../../../app/config/presets';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pb-store-'));
}

test('a missing file is created from the seed, readable by a second store', async () => {
  const path = join(tempDir(), 'config.json');
  const store = await ConfigStore.open(path, () => presetConfig({}));
  assert.equal(store.config.active, 'moonshot');
  const again = await ConfigStore.open(path, () => {
    throw new Error('must not seed an existing file');
  });
  assert.deepEqual(again.config, store.config);
});

test('edits are validated as a whole; an invalid edit changes neither memory nor disk', async () => {
  const path = join(tempDir(), 'config.json');
  const store = await ConfigStore.open(path, () => presetConfig({}));
  const before = readFileSync(path, 'utf8');
  await assert.rejects(
    store.update((c) => {
      c.active = 'does-not-exist';
    }),
    /active: no backend has id "does-not-exist"/,
  );
  assert.equal(store.config.active, 'moonshot');
  assert.equal(readFileSync(path, 'utf8'), before);
});

test('concurrent edits are serialised and all kept; listeners hear each', async () => {
  const path = join(tempDir(), 'config.json');
  const store = await ConfigStore.open(path, () => presetConfig({}));
  const heard: string[] = [];
  store.onChange((c) => heard.push(c.active));
  await Promise.all([
    store.update((c) => {
      c.active = 'nim';
    }),
    store.update((c) => {
      c.backends.push({ ...c.backends[0]!, id: 'extra' });
    }),
  ]);
  const onDisk = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(onDisk.active, 'nim');
  assert.ok(onDisk.backends.some((b: { id: string }) => b.id === 'extra'));
  assert.deepEqual(heard, ['nim', 'nim']);
  // No temp files left behind.
  assert.deepEqual(readdirSync(join(path, '..')).filter((n) => n.endsWith('.tmp')), []);
});

test('an existing invalid file is an error, never silently replaced', async () => {
  const path = join(tempDir(), 'config.json');
  writeFileSync(path, '{"active":');
  await assert.rejects(ConfigStore.open(path, () => presetConfig({})), /not valid JSON/);
  assert.equal(readFileSync(path, 'utf8'), '{"active":');
});
