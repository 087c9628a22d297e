/**
 * `npm start` without Electron runs the engine headless on the same app-data folder the
 * desktop app uses (scripts/start.mjs appDataDir = main/app/app-paths.ts userDataDir over
 * Electron's appData), so switching between the two keeps one config.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { userDataDir } from '../../../../main/app/app-paths';
import { appDataDir } from '../../../../scripts/start.mjs';

/** Electron's `app.getPath('appData')` per platform (its documented defaults). */
const electronAppData: Record<string, (env: NodeJS.ProcessEnv) => string> = {
  linux: (env) => env.XDG_CONFIG_HOME ?? `${env.HOME}/.config`,
  darwin: (env) => `${env.HOME}/Library/Application Support`,
  win32: (env) => env.APPDATA!,
};

test('the headless fallback and the desktop app use the same folder on every platform', () => {
  const cases: Array<[NodeJS.Platform, NodeJS.ProcessEnv]> = [
    ['linux', { HOME: '/home/u' }],
    ['linux', { HOME: '/home/u', XDG_CONFIG_HOME: '/home/u/cfg' }],
    ['darwin', { HOME: '/Users/u' }],
    ['win32', { HOME: 'C:\\Users\\u', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }],
    ['linux', { HOME: '/home/u', PATCHBAY_USER_DATA_DIR: '/tmp/pb' }],
  ];
  for (const [platform, env] of cases) {
    const electron = userDataDir(env, electronAppData[platform]!(env));
    // Separators aside (this runs on Linux, where join() writes '/' into a Windows path too).
    const slashes = (p: string) => p.replace(/\\/g, '/');
    assert.equal(slashes(appDataDir(env, platform)), slashes(electron), `${platform} ${JSON.stringify(env)}`);
  }
});
