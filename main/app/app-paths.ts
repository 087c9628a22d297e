/**
 * Where the desktop app keeps things. Config, request log and data live in the platform's
 * app-data folder (Electron's `userData`: ~/.config/Patchbay, ~/Library/Application Support/Patchbay,
 * %APPDATA%\Patchbay); keys stay in the OS keychain. Pure, so it is unit-tested without Electron.
 */
import { join } from 'node:path';
import { DEFAULT_PORT } from '../../app/cli/args';

export interface AppPaths {
  /** The engine's data dir: config.json, logs/, agents-written.json. */
  dataDir: string;
  /** The built UI (renderer -> dist/ui), served under app://patchbay/ and by the engine at `/`. */
  uiDir: string;
  /** The bundled preload (scripts/build-main.mjs writes it beside main.cjs). */
  preloadPath: string;
  /** The drawn icons (tray, app), main/assets in the checkout and in the package. */
  assetsDir: string;
}

/**
 * `appPath`: Electron's `app.getAppPath()` (the checkout, or resources/app.asar when packaged).
 * Packaged, the UI is read from `app.asar.unpacked` (electron-builder.yml unpacks dist/ui): the
 * app:// handler and the engine's dashboard resolve real paths (realpath, fastify-static),
 * which need files on disk rather than inside the archive.
 */
export function appPaths(input: { userData: string; appPath: string }): AppPaths {
  const unpacked = input.appPath.endsWith('.asar') ? `${input.appPath}.unpacked` : input.appPath;
  return {
    dataDir: input.userData,
    uiDir: join(unpacked, 'dist', 'ui'),
    preloadPath: join(input.appPath, 'dist', 'main', 'preload.cjs'),
    assetsDir: join(input.appPath, 'main', 'assets'),
  };
}

/**
 * The userData folder, applied with `app.setPath('userData', …)` before anything reads it:
 * `PATCHBAY_USER_DATA_DIR` (tests, a second profile), else `<appData>/Patchbay`, named here
 * because Electron would name it after package.json's `name` (`patchbay`) when run from a
 * checkout and after the product name (`Patchbay`) when packaged. `npm start`'s headless
 * mode uses the same folder (scripts/start.mjs), so both modes share one config.
 */
export function userDataDir(env: NodeJS.ProcessEnv, appData: string): string {
  const dir = env.PATCHBAY_USER_DATA_DIR;
  return dir && dir.trim() !== '' ? dir : join(appData, 'Patchbay');
}

export class PortSettingError extends Error {}

/**
 * The port the engine listens on: the one agents were told (README: 7420), or
 * `PATCHBAY_PORT` (0 = any free port). Agents hold the URL, so a taken port is an error,
 * never a silent move to another one.
 */
export function enginePort(env: NodeJS.ProcessEnv): number {
  const raw = env.PATCHBAY_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new PortSettingError(`PATCHBAY_PORT="${raw}" is not a port number (0-65535)`);
  return Number(raw);
}
