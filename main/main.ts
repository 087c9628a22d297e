/**
 * The Patchbay desktop app's main process: the engine in-process, its tray, windows, IPC host
 * and notifications. Thin glue: each concern lives in its own file under main/.
 */
import { capYoungGeneration } from '../scripts/young-generation.mjs';
import { app, dialog, ipcMain, protocol, session, type BrowserWindow } from 'electron';
import { appPaths, enginePort, userDataDir } from './app/app-paths';
import { exposeE2eHook, menuItems } from './app/e2e-hook';
import { startEngineHost, type EngineHost } from './app/engine-host';
import { createLaunchAtLogin, relaunchCommand } from './app/launch-at-login';
import { createShutdown } from './app/shutdown';
import { claimSingleInstance } from './app/single-instance';
import { trayIsAvailable } from './app/tray-availability';
import { setupIpcHost } from './ipc/ipc-host';
import { ownSenderCheck } from './ipc/own-sender';
import { startNotifier } from './notifications/notifier';
import { denyPermissions } from './security/deny-permissions';
import { createTrayHost, type TrayHost } from './tray/tray-host';
import { appIconFile } from './tray/tray-icons';
import { APP_ORIGIN, registerAppScheme, serveRendererFiles } from './windows/app-protocol';
import { mainWindowController } from './windows/main-window';
import { popoverController } from './windows/popover-window';

const env = process.env;
// As in bin/patchbay.js: V8's young generation grows to a cap, not to 2 x 16 MB kept for good
// (idle memory of an app that runs all day).
capYoungGeneration();
app.setPath('userData', userDataDir(env, app.getPath('appData')));
// Windows shows notifications only for an app with an AppUserModelID (the installer's appId).
if (process.platform === 'win32') app.setAppUserModelId('dev.patchbay.app');
// Custom schemes must be registered as privileged before the app is ready.
registerAppScheme(protocol);

let hasTray = false;
const paths = appPaths({ userData: app.getPath('userData'), appPath: app.getAppPath() });
const mainWindow = mainWindowController({
  preloadPath: paths.preloadPath,
  icon: appIconFile(512, paths.assetsDir),
  // Without a tray the window is the app: closing it quits instead of leaving an invisible process.
  onClosed: () => {
    if (!hasTray) app.quit();
  },
});
const popover = popoverController({ preloadPath: paths.preloadPath });

function fail(title: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`patchbay: ${title}: ${message}`);
  dialog.showErrorBox(title, message);
  app.exit(1);
}

async function start(): Promise<void> {
  await app.whenReady();
  serveRendererFiles(protocol, paths.uiDir);
  // Our page may write the clipboard ("Copy Claude Code env"); everything else is denied.
  denyPermissions(session.defaultSession, { clipboardWriteFrom: APP_ORIGIN });

  let host: EngineHost;
  try {
    host = await startEngineHost({ dataDir: paths.dataDir, uiDir: paths.uiDir, port: enginePort(env), env });
  } catch (err) {
    return fail('Patchbay could not start', err);
  }
  const { engine } = host;
  console.log(`Patchbay listening on ${host.url}`);

  let trayHost: TrayHost | undefined;
  /** Undone before the engine closes: IPC subscriptions, notifier. */
  const stops: Array<() => void> = [];
  const shutdown = createShutdown({
    close: async () => {
      trayHost?.dispose();
      for (const stop of stops) stop();
      // Streams in flight, the request log, the port (app/runtime/engine.ts).
      await engine.close();
    },
    exit: (code) => app.exit(code),
    timeoutMs: 10_000,
    log: (message) => console.log(message),
  });
  // app.exit() does not emit before-quit again: the first quit waits for the engine, then exits.
  app.on('before-quit', (event) => {
    event.preventDefault();
    void shutdown.begin('quit');
  });
  // `on`, not `once`: Ctrl-C under `npm start` arrives twice (from the terminal and forwarded by
  // scripts/start.mjs), and a second one must not kill the app mid-close.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown.begin(signal));
  app.on('window-all-closed', () => {
    if (!hasTray) app.quit();
  });
  app.on('activate', () => mainWindow.show());

  const ourWindows = () => [mainWindow.current(), popover.current()].filter((w): w is BrowserWindow => w !== undefined);
  stops.push(setupIpcHost({ ipcMain, api: engine.api, isOwnSender: ownSenderCheck({ windows: ourWindows, origin: APP_ORIGIN }), baseUrl: () => host.url }));

  const launchAtLogin = createLaunchAtLogin({
    platform: process.platform,
    app,
    env,
    command: relaunchCommand({ execPath: process.execPath, isPackaged: app.isPackaged, appPath: app.getAppPath(), env }),
  });

  hasTray = await trayIsAvailable(process.platform, env);
  if (hasTray) {
    try {
      trayHost = await createTrayHost({
        api: engine.api,
        proxyUrl: host.url,
        assetsDir: paths.assetsDir,
        launchAtLogin,
        openMainWindow: () => mainWindow.show(),
        togglePopover: (bounds) => popover.toggle(bounds),
        quit: () => app.quit(),
        onActionError: (action, err) => void dialog.showMessageBox({ type: 'error', message: `Patchbay: ${action.kind} failed`, detail: (err as Error).message ?? String(err) }),
      });
      if (process.platform === 'darwin') app.dock?.hide();
    } catch (err) {
      console.error(`patchbay: no tray icon (${(err as Error).message}); the window stays open instead`);
      hasTray = false;
    }
  }
  if (!hasTray) mainWindow.show();

  stops.push(await startNotifier({ api: engine.api, onClick: () => mainWindow.show() }));

  exposeE2eHook(env, {
    url: host.url,
    trayExists: () => trayHost !== undefined && !trayHost.tray.isDestroyed(),
    trayMenuItems: () => menuItems(trayHost?.menu()).map(({ label, type, checked, enabled }) => ({ label, type, checked, enabled })),
    clickTrayMenuItem: (label) => {
      const item = menuItems(trayHost?.menu()).find((i) => i.label === label);
      item?.click();
      return item !== undefined;
    },
    openPopover: () => void popover.show(trayHost?.tray.getBounds() ?? null),
    popoverVisible: () => popover.current()?.isVisible() ?? false,
    popoverUrl: () => popover.current()?.webContents.getURL(),
    activeBackend: async () => (await engine.api.getState()).active,
    clientToken: () => engine.clientToken(),
  });
}

if (!claimSingleInstance(app, () => mainWindow.show())) {
  // Another Patchbay runs: it opens its window (second-instance); this one leaves.
  app.quit();
} else {
  start().catch((err: unknown) => fail('Patchbay stopped', err));
}
