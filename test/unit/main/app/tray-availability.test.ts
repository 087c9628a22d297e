import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNameHasOwnerReply, trayIsAvailable, trayOverride } from '../../../../main/app/tray-availability';

test('dbus-send NameHasOwner replies', () => {
  assert.equal(parseNameHasOwnerReply('   boolean true\n'), true);
  assert.equal(parseNameHasOwnerReply('   boolean false\n'), false);
  assert.equal(parseNameHasOwnerReply('Error org.freedesktop.DBus.Error.ServiceUnknown'), undefined);
  assert.equal(parseNameHasOwnerReply(''), undefined);
});

test('PATCHBAY_TRAY overrides', () => {
  assert.equal(trayOverride({}), undefined);
  assert.equal(trayOverride({ PATCHBAY_TRAY: 'ON' }), 'on');
  assert.equal(trayOverride({ PATCHBAY_TRAY: '0' }), 'off');
  assert.equal(trayOverride({ PATCHBAY_TRAY: 'maybe' }), undefined);
});

test('macOS and Windows always have a tray; Linux asks for a StatusNotifier host; the override wins', async () => {
  const never = () => assert.fail('no probe expected');
  assert.equal(await trayIsAvailable('darwin', {}, never), true);
  assert.equal(await trayIsAvailable('win32', {}, never), true);
  assert.equal(await trayIsAvailable('linux', {}, async () => true), true);
  assert.equal(await trayIsAvailable('linux', {}, async () => false), false);
  assert.equal(await trayIsAvailable('linux', { PATCHBAY_TRAY: 'on' }, never), true);
  assert.equal(await trayIsAvailable('darwin', { PATCHBAY_TRAY: 'off' }, never), false);
});

test('the real probe on this machine answers a boolean within its timeout (no StatusNotifier host in CI: false)', async () => {
  const started = Date.now();
  const available = await trayIsAvailable('linux', {});
  assert.equal(typeof available, 'boolean');
  assert.ok(Date.now() - started < 3000);
});
