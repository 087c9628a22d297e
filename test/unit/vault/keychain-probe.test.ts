import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import keytar from 'keytar';
import { probeKeychain, PROBE_ACCOUNT } from '../../../app/vault/keychain-probe';
import { keychainUnavailableMessage } from '../../../app/vault/keychain-help';
import { createKeytarStore, type SecretStore } from '../../../app/vault/secret-store';
import { realKeychainProblem, removeTestService, uniqueTestService } from './helpers/test-keychain';

const service = uniqueTestService();
after(async () => {
  if (!(await realKeychainProblem(service))) await removeTestService(service);
});

test('the probe passes on a working Secret Service and leaves no entry behind', async (t) => {
  const problem = await realKeychainProblem(service);
  if (problem) return t.skip(problem);
  const result = await probeKeychain(createKeytarStore({ service }));
  assert.deepEqual(result, { available: true });
  assert.equal(await keytar.getPassword(service, PROBE_ACCOUNT), null);
});

test('a keychain that never answers is reported unavailable after the timeout', async () => {
  const hanging: SecretStore = {
    get: () => new Promise(() => {}),
    set: () => new Promise(() => {}),
    delete: () => new Promise(() => {}),
  };
  const result = await probeKeychain(hanging, 50);
  assert.equal(result.available, false);
  if (result.available) return;
  assert.match(result.error.reason, /no answer from the keychain within 50 ms/);
  assert.match(result.error.message, /dbus-run-session/);
});

test('a locked keyring (reads answer "nothing", writes fail) is reported unavailable', async () => {
  const locked: SecretStore = {
    get: async () => undefined,
    set: async () => {
      throw new Error('Cannot create an item in a locked collection');
    },
    delete: async () => false,
  };
  const result = await probeKeychain(locked);
  assert.equal(result.available, false);
  if (result.available) return;
  assert.match(result.error.message, /locked collection/);
  assert.match(result.error.message, /--unlock/);
});

test('a keychain that loses what it stored is reported unavailable', async () => {
  const forgetful: SecretStore = { get: async () => undefined, set: async () => {}, delete: async () => false };
  const result = await probeKeychain(forgetful);
  assert.equal(result.available, false);
});

test('the message names what still works and the fix for each platform', () => {
  const linux = keychainUnavailableMessage('Could not connect: No such file or directory', 'linux');
  assert.match(linux, /Could not connect/);
  assert.match(linux, /env:NAME/);
  assert.match(linux, /apt install gnome-keyring/);
  assert.match(linux, /dbus-run-session -- sh -c 'echo -n pw \| gnome-keyring-daemon --unlock --components=secrets; patchbay serve'/);
  assert.match(linux, /never written to a file/);
  assert.match(keychainUnavailableMessage('libsecret-1.so.0: cannot open shared object file', 'linux'), /libsecret-1-0/);
  assert.match(keychainUnavailableMessage('User interaction is not allowed', 'darwin'), /macOS/);
  assert.match(keychainUnavailableMessage('error', 'win32'), /Credential Manager/);
});
