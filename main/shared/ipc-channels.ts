/**
 * Every IPC channel between the Electron main process and the window's preload, in one place
 * (main/ipc/ipc-host.ts answers them, main/preload/preload-api.ts uses them). Nothing else
 * crosses: the renderer never sees ipcRenderer itself.
 */
export enum IpcChannel {
  /** invoke(command, input) -> IpcEnvelope: run one admin API command. */
  Call = 'patchbay:call',
  /** invoke() -> IpcEnvelope<null>: start pushing events to this window (again: a fresh stats snapshot first). */
  Subscribe = 'patchbay:subscribe',
  /** invoke() -> IpcEnvelope<null>: stop pushing events to this window. */
  Unsubscribe = 'patchbay:unsubscribe',
  /** main -> window (webContents.send): one AdminEvent. */
  Event = 'patchbay:event',
}
