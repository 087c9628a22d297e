import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import keytar from 'keytar';
import { KeychainVault } from '../../../app/vault/keychain-vault';
import { createKeytarStore, createUnavailableStore, unavailable } from '../../../app/vault/secret-store';
import { generateToken, TokenStore } from '../../../app/vault/token-store';
import { realKeychainProblem, removeTestService, uniqueTestService } from './helpers/test-keychain';

const CLIENT = /^pb-client-[A-Za-z0-9_-]{43}$/;
const ADMIN = /^pb-admin-[A-Za-z0-9_-]{43}$/;

let problem: string | undefined;
const services: string[] = [];

function freshService(): string {
  const service = uniqueTestService();
  services.push(service);
  return service;
}

before(async () => {
  problem = await realKeychainProblem(freshService());
  if (problem) console.log(`# skipping real-keychain tests: ${problem}`);
});
after(async () => {
  if (!problem) for (const service of services) await removeTestService(service);
});

test('generated tokens are prefixed, base64url, 32 random bytes, and distinct', () => {
  const a = generateToken('client');
  const b = generateToken('client');
  assert.match(a, CLIENT);
  assert.match(generateToken('admin'), ADMIN);
  assert.notEqual(a, b);
  assert.equal(Buffer.from(a.slice('pb-client-'.length), 'base64url').length, 32);
});

test('tokens are created on first start and survive a restart (a second vault instance)', async (t) => {
  if (problem) return t.skip(problem);
  const service = freshService();
  const first = new KeychainVault({ store: createKeytarStore({ service }) });
  const loaded = await first.tokens.load();
  assert.equal(loaded.persistent, true);
  assert.equal(loaded.warning, undefined);
  assert.match(loaded.clientToken, CLIENT);
  assert.match(loaded.adminToken, ADMIN);
  assert.equal(await keytar.getPassword(service, 'token:client'), loaded.clientToken);
  assert.equal(await keytar.getPassword(service, 'token:admin'), loaded.adminToken);

  const second = new KeychainVault({ store: createKeytarStore({ service }) });
  const reloaded = await second.tokens.load();
  assert.equal(reloaded.clientToken, loaded.clientToken);
  assert.equal(reloaded.adminToken, loaded.adminToken);
});

test('rotateClientToken makes a new persisted client token and keeps the admin token', async (t) => {
  if (problem) return t.skip(problem);
  const service = freshService();
  const tokens = new TokenStore(createKeytarStore({ service }));
  const loaded = await tokens.load();
  const rotated = await tokens.rotateClientToken();
  assert.match(rotated, CLIENT);
  assert.notEqual(rotated, loaded.clientToken);
  assert.equal(tokens.clientToken, rotated);
  assert.equal(tokens.adminToken, loaded.adminToken);

  const afterRestart = await new TokenStore(createKeytarStore({ service })).load();
  assert.equal(afterRestart.clientToken, rotated);
  assert.equal(afterRestart.adminToken, loaded.adminToken);
});

test('a malformed stored token is replaced', async (t) => {
  if (problem) return t.skip(problem);
  const service = freshService();
  await keytar.setPassword(service, 'token:client', 'short');
  const loaded = await new TokenStore(createKeytarStore({ service })).load();
  assert.match(loaded.clientToken, CLIENT);
  assert.equal(await keytar.getPassword(service, 'token:client'), loaded.clientToken);
});

test('without a keychain tokens are per run and the caller is told why', async () => {
  const store = createUnavailableStore(unavailable('Could not connect: No such file or directory'));
  const a = await new TokenStore(store).load();
  const b = await new TokenStore(store).load();
  assert.equal(a.persistent, false);
  assert.match(a.clientToken, CLIENT);
  assert.match(a.adminToken, ADMIN);
  assert.notEqual(a.clientToken, b.clientToken, 'a new run gets new tokens');
  assert.match(a.warning ?? '', /Could not connect/);
  assert.match(a.warning ?? '', /will change on restart/);

  const none = await new TokenStore(undefined).load();
  assert.equal(none.persistent, false);
  assert.match(none.warning ?? '', /will change on restart/);
});

test('rotation without a keychain works for this run and stays non-persistent', async () => {
  const tokens = new TokenStore(createUnavailableStore(unavailable('test: no keychain')));
  const loaded = await tokens.load();
  const rotated = await tokens.rotateClientToken();
  assert.notEqual(rotated, loaded.clientToken);
  assert.equal(tokens.clientToken, rotated);
  assert.equal(tokens.persistent, false);
});

test('tokens cannot be read before load()', () => {
  assert.throws(() => new TokenStore(undefined).clientToken, /load\(\)/);
});
