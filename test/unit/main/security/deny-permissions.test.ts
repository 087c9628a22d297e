/**
 * denyPermissions on a recording stand-in of a session: every permission request and check is
 * denied, whatever the page or origin; with our origin named, only a clipboard write from it
 * is allowed (the copy buttons), never a clipboard read and never from elsewhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Session } from 'electron';
import { denyPermissions, type SessionLike } from '../../../../main/security/deny-permissions';

export type ElectronFits = Session extends SessionLike ? true : never;
const fits: ElectronFits = true;

const PERMISSIONS = ['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'hid', 'serial', 'usb', 'display-capture', 'window-management', 'fileSystem', 'unknown'];

function recordingSession() {
  const recorded: { request?: Parameters<SessionLike['setPermissionRequestHandler']>[0]; check?: Parameters<SessionLike['setPermissionCheckHandler']>[0] } = {};
  const session: SessionLike = {
    setPermissionRequestHandler: (handler) => void (recorded.request = handler),
    setPermissionCheckHandler: (handler) => void (recorded.check = handler),
  };
  const request = (permission: string, requestingUrl: string): boolean => {
    const answers: boolean[] = [];
    recorded.request!({}, permission, (granted) => answers.push(granted), { requestingUrl });
    assert.equal(answers.length, 1, `${permission}: the callback is called exactly once`);
    return answers[0]!;
  };
  const check = (permission: string, origin: string): boolean => recorded.check!({}, permission, origin, { requestingUrl: `${origin}/index.html` });
  return { session, recorded, request, check };
}

test('Electron’s session fits the structural type', () => {
  assert.equal(fits, true);
});

test('every permission is denied, requested or checked, from any origin', () => {
  const s = recordingSession();
  denyPermissions(s.session);
  assert.ok(s.recorded.request && s.recorded.check, 'both handlers installed');
  for (const permission of PERMISSIONS) {
    for (const origin of ['app://patchbay', 'https://evil.example']) {
      assert.equal(s.request(permission, `${origin}/index.html`), false, `${permission} request from ${origin}`);
      assert.equal(s.check(permission, origin), false, `${permission} check from ${origin}`);
    }
  }
});

test('with our origin named, only a clipboard write from it is allowed', () => {
  const s = recordingSession();
  denyPermissions(s.session, { clipboardWriteFrom: 'app://patchbay' });
  assert.equal(s.request('clipboard-sanitized-write', 'app://patchbay/index.html'), true);
  assert.equal(s.check('clipboard-sanitized-write', 'app://patchbay'), true);
  assert.equal(s.request('clipboard-sanitized-write', 'https://evil.example/'), false);
  assert.equal(s.check('clipboard-sanitized-write', 'app://patchbay.evil'), false);
  assert.equal(s.request('clipboard-sanitized-write', ''), false, 'no requesting URL');
  for (const permission of PERMISSIONS.filter((p) => p !== 'clipboard-sanitized-write')) {
    assert.equal(s.request(permission, 'app://patchbay/index.html'), false, permission);
    assert.equal(s.check(permission, 'app://patchbay'), false, permission);
  }
});
