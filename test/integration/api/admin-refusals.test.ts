/**
 * Refusals on the admin API made before any route (the guard's 401 and 403, the framework's 404)
 * come in the admin API's one error shape with their code's status, on a real engine's socket.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { apiErrorBodySchema, ERROR_STATUS } from '../../../app/api/contract';
import { startEngine } from '../../../app/runtime/engine';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

const dir = makeTempDir('admin-refusals');
const engine = await startEngine({ dataDir: join(dir, 'data'), env: {}, keychainService: `patchbay-test-${randomBytes(4).toString('hex')}` });
const url = await engine.listen('127.0.0.1', 0);
after(async () => {
  await engine.close();
  removeTempDirs(dir);
});

async function refusal(path: string, headers: Record<string, string>) {
  const res = await fetch(url + path, { headers });
  const parsed = apiErrorBodySchema.safeParse(await res.json());
  assert.ok(parsed.success, `${path}: not the one error shape`);
  assert.equal(res.status, ERROR_STATUS[parsed.data.error.code]);
  return parsed.data.error;
}

test('guard and framework refusals on /api speak the one error shape', async () => {
  assert.equal((await refusal('/api/state', {})).code, 'unauthorized');
  assert.equal((await refusal('/api/state', { authorization: `Bearer ${engine.clientToken()}` })).code, 'unauthorized');
  const admin = { authorization: `Bearer ${engine.adminToken()}` };
  assert.equal((await refusal('/api/state', { ...admin, origin: 'https://evil.example' })).code, 'forbidden');
  assert.equal((await refusal('/api/nothing-here', admin)).code, 'not_found');
});
