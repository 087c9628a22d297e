import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import keytar from 'keytar';
import { KeychainUnavailableError } from '../../../app/vault/keychain-errors';
import { createKeytarStore, createUnavailableStore, unavailable } from '../../../app/vault/secret-store';
import { fakeKey, uniqueTestService } from './helpers/test-keychain';
import { useRealKeychainService } from '../../helpers/real-keychain-service';

const keychain = useRealKeychainService();
const { service } = keychain;

describe('keytar store on the real Secret Service', () => {
  test('set, get, delete round trip', async (t) => {
    if (keychain.problem) return t.skip(keychain.problem);
    const store = createKeytarStore({ service });
    const key = fakeKey();
    assert.equal(await store.get('backend:round-trip'), undefined);
    await store.set('backend:round-trip', key);
    assert.equal(await store.get('backend:round-trip'), key);
    // Really in the keychain, under our service and account, not just in memory.
    assert.equal(await keytar.getPassword(service, 'backend:round-trip'), key);
    assert.equal(await store.delete('backend:round-trip'), true);
    assert.equal(await store.get('backend:round-trip'), undefined);
    assert.equal(await store.delete('backend:round-trip'), false);
  });

  test('services are separate: another service does not see the entry', async (t) => {
    if (keychain.problem) return t.skip(keychain.problem);
    const store = createKeytarStore({ service });
    const other = createKeytarStore({ service: uniqueTestService() });
    await store.set('backend:isolated', fakeKey());
    assert.equal(await other.get('backend:isolated'), undefined);
  });
});

test('the unavailable store rejects every call with the same explaining error', async () => {
  const error = unavailable('Could not connect: No such file or directory');
  const store = createUnavailableStore(error);
  for (const call of [() => store.get('a'), () => store.set('a', 'secret-value'), () => store.delete('a')]) {
    await assert.rejects(call(), (e: unknown) => e === error && e instanceof KeychainUnavailableError);
  }
  assert.match(error.message, /Could not connect/);
  assert.match(error.message, /gnome-keyring/);
});
