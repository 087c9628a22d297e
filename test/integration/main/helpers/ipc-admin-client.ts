/**
 * An AdminApi for the contract tests through the whole Electron path, as the window uses it:
 * the renderer's IPC bridge (renderer/src/bridge/ipc-bridge.ts) over the preload's API
 * (main/preload/preload-api.ts) over an Electron-like IPC pair to the IPC host
 * (main/ipc/ipc-host.ts) with the default own-sender check. Refusals arrive as BridgeErrors,
 * which carry the one error shape's code, message and field.
 */
import { COMMANDS, type AdminApi, type CommandName } from '../../../../app/api/contract';
import { setupIpcHost } from '../../../../main/ipc/ipc-host';
import { ownSenderCheck } from '../../../../main/ipc/own-sender';
import { createPreloadApi } from '../../../../main/preload/preload-api';
import { createIpcBridge } from '../../../../renderer/src/bridge/ipc-bridge';
import { FakeIpcMain, FakeWindow } from '../../../unit/main/ipc/helpers/electron-ipc-pair';

export const TEST_APP_ORIGIN = 'app://patchbay';

export function ipcAdminClient(api: AdminApi, baseUrl: () => string): { api: AdminApi; window: FakeWindow; close(): void } {
  const ipcMain = new FakeIpcMain();
  const window = new FakeWindow(ipcMain, 1, `${TEST_APP_ORIGIN}/index.html`);
  const dispose = setupIpcHost({
    ipcMain,
    api,
    isOwnSender: ownSenderCheck({ windows: () => [{ webContents: window.contents }], origin: TEST_APP_ORIGIN }),
    baseUrl,
  });
  const bridge = createIpcBridge(createPreloadApi(window.ipcRenderer, process.platform));
  const commands = Object.fromEntries(
    (Object.keys(COMMANDS) as CommandName[]).map((command) => [command, (input?: unknown) => bridge.call(command, input as never)]),
  ) as unknown as Omit<AdminApi, 'subscribe'>;
  return {
    api: { ...commands, subscribe: (listener) => bridge.subscribe(listener) },
    window,
    close() {
      bridge.close();
      dispose();
      window.contents.destroy();
    },
  };
}
