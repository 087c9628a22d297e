/**
 * The Electron tray: icon, tooltip and menu rebuilt from the engine's State (tray-status.ts and
 * tray-menu.ts decide what they say; this file only draws them), at most a few times a second;
 * the menu's actions run here. Left click opens the popover.
 */
import { clipboard, Menu, nativeImage, nativeTheme, Tray } from 'electron';
import type { AdminApi, State } from '../../app/api/contract';
import type { LaunchAtLogin } from '../app/launch-at-login';
import { followState } from '../app/follow-state';
import { throttle } from '../app/throttle';
import { runTrayAction } from '../app/tray-actions';
import type { TrayInput } from './tray-input';
import { toMenuTemplate, trayMenu, type TrayAction } from './tray-menu';
import { trayIconFile, trayTemplateIconFile } from './tray-icons';
import { trayStatus } from './tray-status';

export const TRAY_REFRESH_MS = 500;

export interface TrayHostDeps {
  api: AdminApi;
  proxyUrl: string;
  /** main/assets (tray-icons.ts's default points beside the sources, not the bundle). */
  assetsDir: string;
  launchAtLogin: LaunchAtLogin;
  openMainWindow(): void;
  togglePopover(trayBounds: Electron.Rectangle | null): void;
  quit(): void;
  /** Errors of menu actions (a switch refused, ...): shown to the user by the caller. */
  onActionError(action: TrayAction, err: unknown): void;
}

export interface TrayHost {
  tray: Tray;
  /** The menu as last built (the e2e test clicks its items). */
  menu(): Menu | undefined;
  run(action: TrayAction): Promise<void>;
  dispose(): void;
}

export async function createTrayHost(deps: TrayHostDeps): Promise<TrayHost> {
  const { api } = deps;
  let state: State | undefined;
  let menu: Menu | undefined;

  const input = (s: State): TrayInput => ({ state: s, paused: s.paused, launchAtLogin: deps.launchAtLogin.get(), proxyUrl: deps.proxyUrl });
  const iconFor = (s: State | undefined) => {
    const icon = s ? trayStatus(input(s)).icon : 'offline';
    // macOS: a template image (black and alpha) that the menu bar draws in its own colour;
    // elsewhere the variant for the panel's theme (nativeImage picks the @2x file itself).
    const file =
      process.platform === 'darwin'
        ? trayTemplateIconFile(icon, 1, deps.assetsDir)
        : trayIconFile(icon, nativeTheme.shouldUseDarkColors ? 'dark' : 'light', 1, deps.assetsDir);
    return nativeImage.createFromPath(file);
  };

  const tray = new Tray(iconFor(undefined));
  tray.setToolTip('Patchbay: starting');

  const run = (action: TrayAction) =>
    runTrayAction(action, {
      api,
      proxyUrl: deps.proxyUrl,
      writeClipboard: (text) => clipboard.writeText(text),
      launchAtLogin: deps.launchAtLogin,
      openMainWindow: deps.openMainWindow,
      quit: deps.quit,
      redraw: () => state && render(state),
    });

  const runAndReport = (action: TrayAction) => void run(action).catch((err: unknown) => deps.onActionError(action, err));

  function render(s: State): void {
    if (tray.isDestroyed()) return;
    const status = trayStatus(input(s));
    tray.setImage(iconFor(s));
    tray.setToolTip(status.tooltip);
    // macOS shows a title beside the menu-bar icon: the bar itself says which backend is active.
    if (process.platform === 'darwin') tray.setTitle(status.title);
    menu = Menu.buildFromTemplate(toMenuTemplate(trayMenu(input(s)), runAndReport));
    tray.setContextMenu(menu);
  }
  const renderSoon = throttle(render, TRAY_REFRESH_MS);

  // Linux: a StatusNotifier item shows its menu on click and emits no 'click'; elsewhere left click opens the popover.
  tray.on('click', () => deps.togglePopover(tray.getBounds()));
  const onTheme = () => state && render(state);
  nativeTheme.on('updated', onTheme);

  const unfollow = await followState(api, (s) => {
    const first = state === undefined;
    state = s;
    if (first) render(s);
    else renderSoon(s);
  });

  return {
    tray,
    menu: () => menu,
    run,
    dispose() {
      unfollow();
      renderSoon.cancel();
      nativeTheme.off('updated', onTheme);
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
