/**
 * The main window ("Open Patchbay"): the dashboard at app://patchbay/, a normal resizable window.
 * One at a time; showing it again focuses it. Its page reaches the engine only through the
 * preload's bridge (secure webPreferences, navigation and window.open denied).
 */
import { BrowserWindow, shell } from 'electron';
import { hardenWebContents } from '../security/harden-contents';
import { secureWebPreferences } from '../security/web-preferences';
import { APP_ORIGIN } from './app-protocol';

export interface MainWindowOptions {
  preloadPath: string;
  /** The window icon (Linux and Windows; macOS uses the app bundle's). */
  icon?: string;
  /** Called when the window is closed (the app quits then when there is no tray). */
  onClosed?: () => void;
}

export interface MainWindowController {
  show(): BrowserWindow;
  current(): BrowserWindow | undefined;
}

export function mainWindowController(options: MainWindowOptions): MainWindowController {
  let win: BrowserWindow | undefined;

  function create(): BrowserWindow {
    const created = new BrowserWindow({
      title: 'Patchbay',
      width: 1200,
      height: 800,
      minWidth: 720,
      minHeight: 480,
      show: false,
      ...(options.icon ? { icon: options.icon } : {}),
      webPreferences: secureWebPreferences(options.preloadPath),
    });
    hardenWebContents(created.webContents, APP_ORIGIN, { openExternal: (url) => shell.openExternal(url) });
    created.once('ready-to-show', () => created.show());
    created.on('closed', () => {
      win = undefined;
      options.onClosed?.();
    });
    void created.loadURL(`${APP_ORIGIN}/`);
    return created;
  }

  return {
    show() {
      if (!win || win.isDestroyed()) win = create();
      else {
        if (win.isMinimized()) win.restore();
        win.show();
        win.focus();
      }
      return win;
    },
    current: () => (win && !win.isDestroyed() ? win : undefined),
  };
}
