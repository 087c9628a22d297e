// keytar in a child process (what the vault falls back to once the in-process keychain
// connection failed), on the real keychain: it reads, writes and deletes what the in-process
// binding sees, answers are matched to their calls, and calls after close() fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import keytar from 'keytar';
import { KeytarWorker } from '../../../app/vault/keytar-worker';
import { fakeKey } from './helpers/test-keychain';
import { useRealKeychainService } from '../../helpers/real-keychain-service';

const keychain = useRealKeychainService();
const { service } = keychain;

test('the worker process reads, writes and deletes real keychain entries', async (t) => {
  if (keychain.problem) return t.skip(keychain.problem);
  const worker = new KeytarWorker();
  try {
    const key = fakeKey();
    await worker.setPassword(service, 'backend:w', key);
    assert.equal(await keytar.getPassword(service, 'backend:w'), key, 'seen by the in-process binding');
    assert.equal(await worker.getPassword(service, 'backend:w'), key);
    const concurrent = await Promise.all([worker.getPassword(service, 'backend:w'), worker.getPassword(service, 'backend:none')]);
    assert.deepEqual(concurrent, [key, null], 'answers matched to their calls');
    assert.equal(await worker.deletePassword(service, 'backend:w'), true);
    assert.equal(await keytar.getPassword(service, 'backend:w'), null);
  } finally {
    worker.close();
  }
});

test('after close() calls fail at once', async (t) => {
  if (keychain.problem) return t.skip(keychain.problem);
  const worker = new KeytarWorker();
  await worker.getPassword(service, 'backend:x');
  worker.close();
  await assert.rejects(worker.getPassword(service, 'backend:x'), /keychain helper process/);
});
