// ConfigStore under racing edits: read-modify-write edits queued at once all land (each sees
// the one before), `settled()` waits for what is queued, and an edit that changes nothing
// neither rewrites the file nor tells the listeners.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { presetConfig } from '../../../app/config/presets';
import { ConfigStore } from '../../../app/config/store';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

const dir = makeTempDir('store-settled');
after(() => removeTempDirs(dir));

test('100 increments queued at once all land; the file equals the state after settled()', async () => {
  const path = join(dir, 'counter.json');
  const store = await ConfigStore.open(path, () => ({ ...presetConfig({}), bodyLimitBytes: 1000 }));
  const edits = Array.from({ length: 100 }, () =>
    store.update((c) => {
      c.bodyLimitBytes = (c.bodyLimitBytes ?? 0) + 1;
    }),
  );
  // Not awaiting the edits themselves: settled() alone must cover them.
  await store.settled();
  assert.equal(store.config.bodyLimitBytes, 1100);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), store.config);
  await Promise.all(edits);
});

test('settled() also waits for a refused edit, and the store keeps working after it', async () => {
  const path = join(dir, 'refused.json');
  const store = await ConfigStore.open(path, () => presetConfig({}));
  const refused = store.update((c) => {
    c.active = 'nope';
  });
  const kept = store.update((c) => {
    c.bodyLimitBytes = 4242;
  });
  await store.settled();
  await assert.rejects(refused, /active/);
  assert.equal((await kept).bodyLimitBytes, 4242);
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).bodyLimitBytes, 4242);
});

test('an edit that changes nothing writes nothing and announces nothing', async () => {
  const path = join(dir, 'noop.json');
  const store = await ConfigStore.open(path, () => presetConfig({}));
  const before = statSync(path);
  let heard = 0;
  store.onChange(() => heard++);
  const active = store.config.active;
  await store.update((c) => {
    c.active = active;
  });
  assert.equal(heard, 0);
  assert.equal(statSync(path).ino, before.ino, 'the file was not replaced');
  await store.update((c) => {
    c.bodyLimitBytes = 1234;
  });
  assert.equal(heard, 1);
  assert.notEqual(statSync(path).ino, before.ino, 'a real edit replaces the file');
});
