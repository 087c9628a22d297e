import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appPaths, enginePort, PortSettingError, userDataDir } from '../../../../main/app/app-paths';

test('data dir is Electron userData; UI and preload come from the app folder', () => {
  const paths = appPaths({ userData: '/home/u/.config/Patchbay', appPath: '/opt/Patchbay/resources/app.asar' });
  assert.deepEqual(paths, {
    dataDir: '/home/u/.config/Patchbay',
    uiDir: '/opt/Patchbay/resources/app.asar.unpacked/dist/ui',
    preloadPath: '/opt/Patchbay/resources/app.asar/dist/main/preload.cjs',
    assetsDir: '/opt/Patchbay/resources/app.asar/main/assets',
  });
});

test('run from a checkout, everything is under the checkout', () => {
  const paths = appPaths({ userData: '/u', appPath: '/src/patchbay' });
  assert.equal(paths.uiDir, '/src/patchbay/dist/ui');
  assert.equal(paths.preloadPath, '/src/patchbay/dist/main/preload.cjs');
});

test('userData: <appData>/Patchbay (checkout and packaged alike), or a non-empty PATCHBAY_USER_DATA_DIR', () => {
  assert.equal(userDataDir({}, '/home/u/.config'), '/home/u/.config/Patchbay');
  assert.equal(userDataDir({ PATCHBAY_USER_DATA_DIR: '  ' }, '/home/u/.config'), '/home/u/.config/Patchbay');
  assert.equal(userDataDir({ PATCHBAY_USER_DATA_DIR: '/tmp/x' }, '/home/u/.config'), '/tmp/x');
});

test('engine port: 7420 unless PATCHBAY_PORT says otherwise; junk is refused with the value named', () => {
  assert.equal(enginePort({}), 7420);
  assert.equal(enginePort({ PATCHBAY_PORT: '' }), 7420);
  assert.equal(enginePort({ PATCHBAY_PORT: '0' }), 0);
  assert.equal(enginePort({ PATCHBAY_PORT: '8123' }), 8123);
  for (const bad of ['-1', '65536', 'http', '80 ']) {
    assert.throws(() => enginePort({ PATCHBAY_PORT: bad }), (err: Error) => err instanceof PortSettingError && err.message.includes(`"${bad}"`));
  }
});
