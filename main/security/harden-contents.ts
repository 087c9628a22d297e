/**
 * What a window's page may not do: open windows (a link meant for the browser opens there, and
 * only over https), navigate or be redirected anywhere but our own origin, or attach a webview.
 * Applied to every window the app creates (main window, popover).
 */
import { originOf } from '../shared/url-origin';

/** The part of Electron's webContents this uses. */
export interface WebContentsLike {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { url: string; preventDefault(): void }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

export interface HardenOptions {
  /** Opens a URL in the system browser (Electron's shell.openExternal); only https URLs are passed. */
  openExternal?: (url: string) => unknown;
}

/** https URLs only, without credentials in them: what may leave for the system browser. */
export function isExternalLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

export function hardenWebContents(contents: WebContentsLike, allowedOrigin: string, options: HardenOptions = {}): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (options.openExternal && isExternalLink(url)) {
      try {
        void Promise.resolve(options.openExternal(url)).catch(() => undefined);
      } catch {
        // no browser to open: the link simply does nothing
      }
    }
    return { action: 'deny' };
  });
  const stayHome = (event: { url: string; preventDefault(): void }): void => {
    if (originOf(event.url) !== allowedOrigin) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
