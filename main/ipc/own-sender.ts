/**
 * The default sender check of the IPC host: a message is ours when it comes from the top-level
 * frame of one of our windows and that frame shows our page (its origin is `app://patchbay`,
 * or the dev server's in development). Anything else (a window we did not make, a frame that
 * navigated away, an iframe) is refused.
 */
import { originOf } from '../shared/url-origin';
import type { IpcEventLike } from './ipc-like';

export { originOf };

export interface BrowserWindowLike {
  readonly webContents: { readonly id: number };
  isDestroyed?(): boolean;
}

export interface OwnSenderOptions {
  /** Our windows now (the main window, the popover). */
  windows(): readonly BrowserWindowLike[];
  /** The origin(s) our page is served from: `app://patchbay`, plus the dev server's in development. */
  origin: string | readonly string[];
}

export function ownSenderCheck(options: OwnSenderOptions): (event: IpcEventLike) => boolean {
  const origins = new Set((typeof options.origin === 'string' ? [options.origin] : options.origin).map((o) => o.toLowerCase()));
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent) return false;
    const origin = frame.origin && frame.origin !== 'null' ? frame.origin.toLowerCase() : originOf(frame.url);
    if (!origin || !origins.has(origin)) return false;
    return options.windows().some((w) => !w.isDestroyed?.() && w.webContents.id === event.sender.id);
  };
}
