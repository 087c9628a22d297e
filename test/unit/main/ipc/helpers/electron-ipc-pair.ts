/**
 * An in-process stand-in for Electron's IPC between the main process and one window, doing what
 * Electron does at the boundary: arguments and answers are structured-cloned both ways (an
 * argument that cannot be cloned throws at once in the window), a handler's failure reaches the
 * window as a plain Error with only a message ("Error invoking remote method …"), a channel
 * without a handler rejects, `webContents.send` delivers asynchronously and throws once the
 * webContents is destroyed, `handle` refuses a second handler for a channel.
 */
import { EventEmitter } from 'node:events';
import type { FrameLike, IpcEventLike, IpcInvokeHandler, IpcMainLike, SenderLike } from '../../../../../main/ipc/ipc-like';
import type { IpcRendererLike } from '../../../../../main/preload/preload-api';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, IpcInvokeHandler>();

  handle(channel: string, listener: IpcInvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

type RendererListener = (event: unknown, ...args: unknown[]) => void;

/** A window's webContents (main side) with the window's ipcRenderer (preload side). */
export class FakeWindow {
  readonly contents: FakeWebContents;
  readonly ipcRenderer: FakeIpcRenderer;
  /** What `event.senderFrame` is when this window sends; tests change it (navigated, iframe, destroyed). */
  frame: FrameLike | null;

  constructor(
    readonly ipcMain: FakeIpcMain,
    id: number,
    url: string,
  ) {
    const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]+/i.exec(url)?.[0] ?? 'null';
    this.frame = { origin, url, parent: null };
    this.ipcRenderer = new FakeIpcRenderer(this);
    this.contents = new FakeWebContents(id, (channel, args) => this.ipcRenderer.deliver(channel, args));
  }

  /** The event a handler gets for a message from this window. */
  event(): IpcEventLike {
    return { sender: this.contents, senderFrame: this.frame };
  }
}

export class FakeWebContents extends EventEmitter implements SenderLike {
  private destroyed = false;
  /** Every message sent to the window, as it left (cloned). */
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];

  constructor(
    readonly id: number,
    private readonly deliver: (channel: string, args: unknown[]) => void,
  ) {
    super();
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const copy = structuredClone(args);
    this.sent.push({ channel, args: copy });
    setImmediate(() => {
      if (!this.destroyed) this.deliver(channel, copy);
    });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class FakeIpcRenderer implements IpcRendererLike {
  private readonly listeners = new EventEmitter();

  constructor(private readonly window: FakeWindow) {}

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const copy = structuredClone(args); // throws here, synchronously, like Electron
    return (async () => {
      await turn();
      const handler = this.window.ipcMain.handlers.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      let answer: unknown;
      let failure: string | undefined;
      try {
        answer = await handler(this.window.event(), ...copy);
      } catch (err) {
        failure = String(err);
      }
      // Only the message crosses (no code, no cause), as in Electron.
      if (failure !== undefined) throw new Error(`Error invoking remote method '${channel}': ${failure}`);
      await turn();
      return structuredClone(answer);
    })();
  }

  on(channel: string, listener: RendererListener): this {
    this.listeners.on(channel, listener);
    return this;
  }

  removeListener(channel: string, listener: RendererListener): this {
    this.listeners.removeListener(channel, listener);
    return this;
  }

  listenerCount(channel: string): number {
    return this.listeners.listenerCount(channel);
  }

  /** A message from the main process (the IpcRendererEvent carries the sender, as Electron's does). */
  deliver(channel: string, args: unknown[]): void {
    this.listeners.emit(channel, { sender: this, senderId: 0 }, ...args);
  }
}
