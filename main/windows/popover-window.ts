/**
 * The tray popover: the dashboard's narrow Overview in a small frameless window next to the
 * tray icon (placed by placePopover), hidden when it loses focus, as tray popovers do. Created
 * once and kept hidden, so it opens at once.
 */
import { BrowserWindow, screen, shell } from 'electron';
import { hardenWebContents } from '../security/harden-contents';
import { secureWebPreferences } from '../security/web-preferences';
import { APP_ORIGIN } from './app-protocol';
import { placePopover } from './popover-placement';

export const POPOVER_SIZE = { width: 380, height: 560 } as const;

export interface PopoverController {
  /** Opens the popover by the tray icon (bounds from tray.getBounds(); null where unknown), or hides it when open. */
  toggle(trayBounds: Electron.Rectangle | null): void;
  show(trayBounds: Electron.Rectangle | null): BrowserWindow;
  current(): BrowserWindow | undefined;
}

export function popoverController(options: { preloadPath: string }): PopoverController {
  let win: BrowserWindow | undefined;
  // A click on the tray icon blurs the open popover first: without this the click would hide it and reopen it.
  let hiddenAt = 0;

  function create(): BrowserWindow {
    const created = new BrowserWindow({
      ...POPOVER_SIZE,
      show: false,
      frame: false,
      resizable: false,
      movable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      webPreferences: secureWebPreferences(options.preloadPath),
    });
    hardenWebContents(created.webContents, APP_ORIGIN, { openExternal: (url) => shell.openExternal(url) });
    created.on('blur', () => {
      if (created.isDestroyed() || !created.isVisible()) return;
      hiddenAt = Date.now();
      created.hide();
    });
    created.on('closed', () => {
      win = undefined;
    });
    void created.loadURL(`${APP_ORIGIN}/?view=popover`);
    return created;
  }

  function show(trayBounds: Electron.Rectangle | null): BrowserWindow {
    if (!win || win.isDestroyed()) win = create();
    const cursor = screen.getCursorScreenPoint();
    const display = trayBounds ? screen.getDisplayMatching(trayBounds) : screen.getDisplayNearestPoint(cursor);
    const at = placePopover({ platform: process.platform, trayBounds, cursor, workArea: display.workArea, size: POPOVER_SIZE });
    win.setBounds({ x: Math.round(at.x), y: Math.round(at.y), ...POPOVER_SIZE });
    win.show();
    win.focus();
    return win;
  }

  return {
    show,
    toggle(trayBounds) {
      if (win && !win.isDestroyed() && win.isVisible()) return win.hide();
      if (Date.now() - hiddenAt < 300) return;
      show(trayBounds);
    },
    current: () => (win && !win.isDestroyed() ? win : undefined),
  };
}
