// The vault while the keychain is unavailable (the daemon gone), on the real keychain: the
// store under the vault is switched to the production "unavailable" store and back. Keys read
// before keep serving from memory after the cache expired, the keychain is asked again after a
// short pause, a live status fails, keys never read fail loudly, and a key deleted through the
// vault is not kept as last known. (test/integration/faults/keychain-daemon-gone.test.ts kills a
// real daemon.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeychainUnavailableError } from '../../../app/vault/keychain-errors';
import { KeychainVault } from '../../../app/vault/keychain-vault';
import { createKeytarStore, createUnavailableStore, unavailable, type SecretStore } from '../../../app/vault/secret-store';
import { countingStore, fakeKey } from './helpers/test-keychain';
import { useRealKeychainService } from '../../helpers/real-keychain-service';

const keychain = useRealKeychainService();
const { service } = keychain;

/** The real keychain, or (while `down`) the store a missing keychain gets. */
function switchable(real: SecretStore) {
  const gone = createUnavailableStore(unavailable('The name org.freedesktop.secrets was not provided by any .service files'));
  const state = { down: false };
  const store: SecretStore = {
    get: (a) => (state.down ? gone : real).get(a),
    set: (a, s) => (state.down ? gone : real).set(a, s),
    delete: (a) => (state.down ? gone : real).delete(a),
  };
  return { store, state };
}

test('a key read before serves after the cache expired while the keychain is down; asked again after the pause', async (t) => {
  if (keychain.problem) return t.skip(keychain.problem);
  const real = countingStore(createKeytarStore({ service }));
  const { store, state } = switchable(real);
  let now = 0;
  const vault = new KeychainVault({ store, cacheTtlMs: 60_000, staleRetryMs: 5_000, now: () => now });
  const key = fakeKey();
  await vault.setKey('nim', key);

  state.down = true;
  now += 61_000; // the cache expired
  assert.equal(await vault.getKey('nim', 'keychain'), key);
  assert.deepEqual(await vault.keyStatus('nim'), { set: true, last4: key.slice(-4) }, 'the state view shows the last-known status');
  await assert.rejects(vault.keyStatus('nim', { live: true }), KeychainUnavailableError, 'an admin asking gets the error');
  await assert.rejects(vault.setKey('nim', fakeKey()), KeychainUnavailableError);
  assert.equal(await vault.getKey('nim', 'keychain'), key, 'a refused set changes nothing');

  // Back up: within the pause the last-known key still serves without asking; after it, the keychain is read.
  state.down = false;
  const reads = real.calls.get;
  now += 1_000;
  assert.equal(await vault.getKey('nim', 'keychain'), key);
  assert.equal(real.calls.get, reads, 'not asked again within the pause');
  now += 5_000;
  assert.equal(await vault.getKey('nim', 'keychain'), key);
  assert.equal(real.calls.get, reads + 1, 'asked again after the pause');
  assert.deepEqual(await vault.keyStatus('nim', { live: true }), { set: true, last4: key.slice(-4) });
});

test('a key never read cannot be served while the keychain is down; a deleted key is not kept', async (t) => {
  if (keychain.problem) return t.skip(keychain.problem);
  const { store, state } = switchable(createKeytarStore({ service }));
  let now = 0;
  const vault = new KeychainVault({ store, now: () => now });
  state.down = true;
  await assert.rejects(vault.getKey('never-read', 'keychain'), KeychainUnavailableError);

  state.down = false;
  await vault.setKey('deleted', fakeKey());
  await vault.deleteKey('deleted');
  state.down = true;
  now += 61_000;
  await assert.rejects(vault.getKey('deleted', 'keychain'), KeychainUnavailableError, 'no stale copy of a deleted key');
});
