/**
 * What the Electron end-to-end test (test/e2e/electron) reaches through Playwright's
 * `electronApp.evaluate`: set as a global only when PATCHBAY_E2E=1, so a normal run exposes
 * nothing. It drives the real objects: the Tray, its built Menu's click handlers, the popover.
 */
import type { Menu, MenuItem } from 'electron';

export const E2E_GLOBAL = '__patchbayE2E';

export interface E2eHook {
  /** The engine's URL (the test checks the port is released after quit). */
  url: string;
  trayExists(): boolean;
  trayMenuItems(): Array<{ label: string; type: string; checked: boolean; enabled: boolean }>;
  /** Clicks the tray menu item with this label (searched in submenus too) through its click handler. */
  clickTrayMenuItem(label: string): boolean;
  openPopover(): void;
  popoverVisible(): boolean;
  popoverUrl(): string | undefined;
  activeBackend(): Promise<string>;
  /** The client token, so the test can send a model call through the proxy after a switch. */
  clientToken(): string;
}

export function menuItems(menu: Menu | undefined): MenuItem[] {
  if (!menu) return [];
  return menu.items.flatMap((item) => [item, ...menuItems(item.submenu ?? undefined)]);
}

export function exposeE2eHook(env: NodeJS.ProcessEnv, hook: E2eHook): void {
  if (env.PATCHBAY_E2E !== '1') return;
  (globalThis as Record<string, unknown>)[E2E_GLOBAL] = hook;
}
