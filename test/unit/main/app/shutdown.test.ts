import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createShutdown } from '../../../../main/app/shutdown';

test('closes the engine once, then exits 0, however many quits arrive', async () => {
  const calls: string[] = [];
  let release!: () => void;
  const shutdown = createShutdown({
    close: () => {
      calls.push('close');
      return new Promise<void>((r) => (release = r));
    },
    exit: (code) => calls.push(`exit ${code}`),
    timeoutMs: 5000,
  });
  assert.equal(shutdown.started, false);
  const first = shutdown.begin('quit');
  const second = shutdown.begin('SIGTERM');
  assert.equal(shutdown.started, true);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(calls, ['close'], 'exit waits for the engine to close');
  release();
  assert.equal(await first, 0);
  assert.equal(await second, 0);
  assert.deepEqual(calls, ['close', 'exit 0']);
});

test('a close that hangs is cut after the timeout: exit 1, said in the log', async () => {
  const logs: string[] = [];
  let exited: number | undefined;
  const shutdown = createShutdown({ close: () => new Promise<void>(() => undefined), exit: (c) => (exited = c), timeoutMs: 50, log: (m) => logs.push(m) });
  assert.equal(await shutdown.begin('quit'), 1);
  assert.equal(exited, 1);
  assert.ok(logs.some((l) => l.includes('did not close within 50 ms')), logs.join('\n'));
});

test('a close that fails still exits (1)', async () => {
  let exited: number | undefined;
  const shutdown = createShutdown({ close: () => Promise.reject(new Error('boom')), exit: (c) => (exited = c), timeoutMs: 1000 });
  assert.equal(await shutdown.begin('quit'), 1);
  assert.equal(exited, 1);
});
