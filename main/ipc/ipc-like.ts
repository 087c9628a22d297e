/**
 * The parts of Electron's ipcMain, IPC event, webContents and frame the IPC host uses: structural
 * subsets, so Electron's own objects fit them and tests drive the host without Electron.
 */

/** The webContents that sent a message (Electron's `event.sender`). */
export interface SenderLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
  removeListener(event: 'destroyed', listener: () => void): unknown;
}

/** The frame that sent a message (Electron's WebFrameMain). */
export interface FrameLike {
  /** The frame's security origin as Chromium computed it (`app://patchbay`). */
  readonly origin: string;
  readonly url: string;
  /** null for a top-level frame. */
  readonly parent: unknown;
}

export interface IpcEventLike {
  readonly sender: SenderLike;
  /** null when the frame navigated away or was destroyed since it sent. */
  readonly senderFrame: FrameLike | null;
}

export type IpcInvokeHandler = (event: IpcEventLike, ...args: unknown[]) => unknown;

export interface IpcMainLike {
  handle(channel: string, listener: IpcInvokeHandler): void;
  removeHandler(channel: string): void;
}
