import { test } from 'node:test';
import assert from 'node:assert/strict';
import keytar from 'keytar';
import { InvalidKeyError, KeychainUnavailableError } from '../../../app/vault/keychain-errors';
import { backendAccount, KeychainVault } from '../../../app/vault/keychain-vault';
import { createKeytarStore, createUnavailableStore, unavailable } from '../../../app/vault/secret-store';
import { countingStore, fakeKey } from './helpers/test-keychain';
import { useRealKeychainService } from '../../helpers/real-keychain-service';

const keychain = useRealKeychainService();
const { service } = keychain;

test('keys live under account backend:<id> in the keychain', async (t) => {
  if (keychain.problem) return t.skip(keychain.problem);
  const vault = new KeychainVault({ store: createKeytarStore({ service }) });
  const key = fakeKey();
  const status = await vault.setKey('moonshot', key);
  assert.equal(backendAccount('moonshot'), 'backend:moonshot');
  assert.equal(await keytar.getPassword(service, 'backend:moonshot'), key);
  assert.deepEqual(status, { set: true, last4: key.slice(-4) });
  assert.equal(await vault.getKey('moonshot', 'keychain'), key);
});

test('reads are cached; set and delete invalidate the cache', async (t) => {
  if (keychain.problem) return t.skip(keychain.problem);
  const store = countingStore(createKeytarStore({ service }));
  const vault = new KeychainVault({ store });
  const first = fakeKey();
  await keytar.setPassword(service, 'backend:cached', first);

  assert.equal(await vault.getKey('cached', 'keychain'), first);
  assert.equal(await vault.getKey('cached', 'keychain'), first);
  assert.equal(await vault.getKey('cached', 'keychain'), first);
  assert.equal(store.calls.get, 1, 'one keychain read for three requests');

  const second = fakeKey();
  await vault.setKey('cached', second);
  assert.equal(await vault.getKey('cached', 'keychain'), second);

  assert.equal(await vault.deleteKey('cached'), true);
  assert.equal(await vault.getKey('cached', 'keychain'), undefined);
  assert.deepEqual(await vault.keyStatus('cached'), { set: false });
  assert.equal(await keytar.getPassword(service, 'backend:cached'), null);
});

test('a key changed elsewhere is seen after the TTL or an explicit invalidate', async (t) => {
  if (keychain.problem) return t.skip(keychain.problem);
  let now = 1_000;
  const vault = new KeychainVault({ store: createKeytarStore({ service }), cacheTtlMs: 100, now: () => now });
  const first = fakeKey();
  await keytar.setPassword(service, 'backend:elsewhere', first);
  assert.equal(await vault.getKey('elsewhere', 'keychain'), first);

  const second = fakeKey();
  await keytar.setPassword(service, 'backend:elsewhere', second);
  assert.equal(await vault.getKey('elsewhere', 'keychain'), first, 'still cached');
  now += 101;
  assert.equal(await vault.getKey('elsewhere', 'keychain'), second, 'TTL expired');

  const third = fakeKey();
  await keytar.setPassword(service, 'backend:elsewhere', third);
  vault.invalidate('elsewhere');
  assert.equal(await vault.getKey('elsewhere', 'keychain'), third);
});

test('concurrent first reads share one keychain call', async (t) => {
  if (keychain.problem) return t.skip(keychain.problem);
  const store = countingStore(createKeytarStore({ service }));
  const vault = new KeychainVault({ store });
  const key = fakeKey();
  await keytar.setPassword(service, 'backend:concurrent', key);
  const keys = await Promise.all(Array.from({ length: 5 }, () => vault.getKey('concurrent', 'keychain')));
  assert.deepEqual(keys, Array(5).fill(key));
  assert.equal(store.calls.get, 1);
});

test('env: refs are read from the environment, none gives nothing, literals are refused', async () => {
  const store = countingStore(createUnavailableStore(unavailable('test: no keychain')));
  const vault = new KeychainVault({ store, env: { NIM_KEY: 'nvapi-from-env', EMPTY: '' } });
  assert.equal(await vault.getKey('nim', 'env:NIM_KEY'), 'nvapi-from-env');
  assert.equal(await vault.getKey('nim', 'env:EMPTY'), undefined);
  assert.equal(await vault.getKey('nim', 'env:MISSING'), undefined);
  assert.equal(await vault.getKey('nim', 'none'), undefined);
  assert.equal(await vault.getKey('nim', 'sk-literal-key-in-config'), undefined);
  assert.equal(store.calls.get + store.calls.set + store.calls.delete, 0, 'env refs never touch the keychain');
});

test('an unreachable keychain is an error for "keychain" refs, not a silent undefined', async () => {
  const store = countingStore(createUnavailableStore(unavailable('Could not connect: No such file or directory')));
  const vault = new KeychainVault({ store });
  await assert.rejects(vault.getKey('moonshot', 'keychain'), KeychainUnavailableError);
  await assert.rejects(vault.setKey('moonshot', fakeKey()), KeychainUnavailableError);
  await assert.rejects(vault.keyStatus('moonshot'), KeychainUnavailableError);
  // The failure is not cached: the next request asks again.
  await assert.rejects(vault.getKey('moonshot', 'keychain'), KeychainUnavailableError);
  assert.equal(store.calls.get, 3);
});

test('badly shaped keys are refused without quoting them and without touching the keychain', async () => {
  const store = countingStore(createUnavailableStore(unavailable('test: no keychain')));
  const vault = new KeychainVault({ store });
  const secretish = 'sk-abcdefghijklmnop';
  for (const bad of ['', `${secretish}\n`, `${secretish} x`, `\t${secretish}`, 'k'.repeat(4097), `${secretish}\u0000`]) {
    await assert.rejects(vault.setKey('moonshot', bad), (e: unknown) => {
      assert.ok(e instanceof InvalidKeyError);
      assert.ok(!e.message.includes(secretish), 'message does not quote the key');
      return true;
    });
  }
  assert.equal(store.calls.set, 0);
});

test('keyStatus gives last4 only for keys long enough to spare it', async (t) => {
  if (keychain.problem) return t.skip(keychain.problem);
  const vault = new KeychainVault({ store: createKeytarStore({ service }) });
  assert.deepEqual(await vault.setKey('short', 'abc123'), { set: true });
  assert.deepEqual(await vault.keyStatus('short'), { set: true });
  vault.invalidate();
  assert.deepEqual(await vault.keyStatus('short'), { set: true }, 'also when read back from the keychain');
  const long = fakeKey();
  await vault.setKey('long', long);
  vault.invalidate();
  assert.deepEqual(await vault.keyStatus('long'), { set: true, last4: long.slice(-4) });
});
