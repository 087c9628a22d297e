import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PORT, parseCli, UsageError } from '../../../app/cli/args';

test('serve with defaults binds loopback on the default port', () => {
  assert.deepEqual(parseCli(['serve']), { command: 'serve', port: DEFAULT_PORT, host: '127.0.0.1' });
});

test('serve takes config, port, host and data dir', () => {
  assert.deepEqual(parseCli(['serve', '--config', 'c.json', '--port', '0', '--host', '::1', '--data-dir', '/tmp/x']), {
    command: 'serve',
    config: 'c.json',
    port: 0,
    host: '::1',
    dataDir: '/tmp/x',
  });
});

test('a non-loopback host is refused with the reason', () => {
  assert.throws(() => parseCli(['serve', '--host', '0.0.0.0']), (err: Error) => err instanceof UsageError && /loopback/.test(err.message));
});

test('bad port and unknown commands are usage errors', () => {
  assert.throws(() => parseCli(['serve', '--port', 'abc']), UsageError);
  assert.throws(() => parseCli(['serve', '--port', '70000']), UsageError);
  assert.throws(() => parseCli(['start']), UsageError);
  assert.throws(() => parseCli(['serve', '--bogus']), /Unknown option/);
});

test('no command prints help', () => {
  assert.deepEqual(parseCli([]), { command: 'help' });
});

test('--init is passed through only when given', () => {
  assert.deepEqual(parseCli(['serve', '--config', 'c.json', '--init']), { command: 'serve', config: 'c.json', port: DEFAULT_PORT, host: '127.0.0.1', init: true });
  assert.equal((parseCli(['serve', '--config', 'c.json']) as { init?: boolean }).init, undefined);
});
