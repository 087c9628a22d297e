import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLaunchAtLogin, linuxAutostartEntry, linuxAutostartPath, quoteExecArg, relaunchCommand } from '../../../../main/app/launch-at-login';
import { makeTempDir, removeTempDirs } from '../../../helpers/temp-dirs';

test('autostart file under XDG_CONFIG_HOME, else ~/.config (a relative XDG_CONFIG_HOME is ignored, as the spec says)', () => {
  assert.equal(linuxAutostartPath({}, '/home/u'), '/home/u/.config/autostart/patchbay.desktop');
  assert.equal(linuxAutostartPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/u'), '/cfg/autostart/patchbay.desktop');
  assert.equal(linuxAutostartPath({ XDG_CONFIG_HOME: 'rel' }, '/home/u'), '/home/u/.config/autostart/patchbay.desktop');
});

test('Exec arguments are quoted per the Desktop Entry spec only when needed', () => {
  assert.equal(quoteExecArg('/opt/Patchbay/patchbay'), '/opt/Patchbay/patchbay');
  assert.equal(quoteExecArg('/home/u/My Apps/Patchbay.AppImage'), '"/home/u/My Apps/Patchbay.AppImage"');
  // `$` escaped inside the quotes, then every backslash doubled for the desktop-file string.
  assert.equal(quoteExecArg('/a$b'), '"/a\\\\$b"');
  assert.equal(quoteExecArg('50%'), '"50%%"');
  assert.equal(quoteExecArg(''), '""');
});

test('autostart entry: a desktop entry that runs the command, not in a terminal', () => {
  const text = linuxAutostartEntry(['/usr/lib/electron', '/home/u/src/patch bay']);
  const lines = text.split('\n');
  assert.equal(lines[0], '[Desktop Entry]');
  assert.ok(lines.includes('Type=Application'));
  assert.ok(lines.includes('Name=Patchbay'));
  assert.ok(lines.includes('Exec=/usr/lib/electron "/home/u/src/patch bay"'));
  assert.ok(lines.includes('Terminal=false'));
  assert.throws(() => linuxAutostartEntry([]));
});

test('relaunch command: the AppImage file, the packaged binary, or Electron plus the checkout', () => {
  const base = { execPath: '/tmp/.mount_x/patchbay', appPath: '/src/pb' };
  assert.deepEqual(relaunchCommand({ ...base, isPackaged: true, env: { APPIMAGE: '/home/u/Patchbay.AppImage' } }), ['/home/u/Patchbay.AppImage']);
  assert.deepEqual(relaunchCommand({ ...base, isPackaged: true, env: {} }), ['/tmp/.mount_x/patchbay']);
  assert.deepEqual(relaunchCommand({ ...base, isPackaged: false, env: {} }), ['/tmp/.mount_x/patchbay', '/src/pb']);
});

test('Linux: opt-in writes the autostart file, opt-out removes it; default off', () => {
  const home = makeTempDir('autostart');
  try {
    const unusedApp = { getLoginItemSettings: () => assert.fail('not on Linux'), setLoginItemSettings: () => assert.fail('not on Linux') };
    const login = createLaunchAtLogin({ platform: 'linux', app: unusedApp, env: {}, command: ['/opt/Patchbay/patchbay'], home });
    const file = join(home, '.config/autostart/patchbay.desktop');
    assert.equal(login.get(), false);
    login.set(true);
    assert.equal(login.get(), true);
    assert.match(readFileSync(file, 'utf8'), /^Exec=\/opt\/Patchbay\/patchbay$/m);
    login.set(false);
    assert.equal(existsSync(file), false);
    assert.equal(login.get(), false);
    login.set(false); // removing what is not there is fine
  } finally {
    removeTempDirs(home);
  }
});

test('macOS and Windows: the system login item setting; elsewhere: not supported (null)', () => {
  for (const platform of ['darwin', 'win32'] as const) {
    let open = false;
    const app = { getLoginItemSettings: () => ({ openAtLogin: open }), setLoginItemSettings: (s: { openAtLogin: boolean }) => void (open = s.openAtLogin) };
    const login = createLaunchAtLogin({ platform, app, env: {}, command: ['x'] });
    assert.equal(login.get(), false);
    login.set(true);
    assert.equal(open, true);
    assert.equal(login.get(), true);
  }
  const other = createLaunchAtLogin({ platform: 'freebsd', app: { getLoginItemSettings: () => ({ openAtLogin: true }), setLoginItemSettings: () => undefined }, env: {}, command: ['x'] });
  assert.equal(other.get(), null);
});
