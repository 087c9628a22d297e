/**
 * Where the drawn icons are (main/assets, made by scripts/draw-icons.mjs). Tray icons come in
 * one file per state and panel theme, 16 px at 1x and 32 px at 2x named `…@2x.png`, so Electron's
 * nativeImage picks the 2x file itself on high-density screens when given the 1x path.
 * `theme` is the panel's: `light` panels get the dark glyph, `dark` panels the light one.
 *
 * Run from the sources (tsx) the assets sit next to this folder; a bundle (dist/main/main.cjs)
 * or a packaged app passes its own `assetsDir`.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrayIconState } from './tray-status';

export type PanelTheme = 'light' | 'dark';

export const TRAY_ICON_STATES: readonly TrayIconState[] = ['ok', 'attention', 'paused', 'offline'];
export const PANEL_THEMES: readonly PanelTheme[] = ['light', 'dark'];
/** The tray icon's size in pixels at 1x (2x doubles it). */
export const TRAY_ICON_SIZE = 16;
export const APP_ICON_SIZES = [512, 1024] as const;
export type AppIconSize = (typeof APP_ICON_SIZES)[number];

const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
/** main/assets when run from the sources. */
export const DEFAULT_ASSETS_DIR = resolve(here, '..', 'assets');

export function trayIconFile(state: TrayIconState, theme: PanelTheme, scale: 1 | 2, assetsDir = DEFAULT_ASSETS_DIR): string {
  return join(assetsDir, 'tray', `tray-${state}-${theme}${scale === 2 ? '@2x' : ''}.png`);
}

/**
 * The macOS menu-bar variant: black and alpha only, named `…Template.png` so nativeImage marks it
 * a template image and macOS draws it in the menu bar's own colour (light and dark bars alike).
 */
export function trayTemplateIconFile(state: TrayIconState, scale: 1 | 2, assetsDir = DEFAULT_ASSETS_DIR): string {
  return join(assetsDir, 'tray', `tray-${state}Template${scale === 2 ? '@2x' : ''}.png`);
}

/** The app icon (windows, notifications, the installer); `icon.png` (1024 px) is electron-builder's. */
export function appIconFile(size: AppIconSize = 1024, assetsDir = DEFAULT_ASSETS_DIR): string {
  return join(assetsDir, size === 1024 ? 'icon.png' : `icon-${size}.png`);
}
