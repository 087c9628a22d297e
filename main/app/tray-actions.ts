/**
 * What each tray menu action does, against the engine's admin API (the same calls the
 * dashboard makes). No Electron here: the clipboard, windows and quitting come in as functions,
 * so the actions are tested against a real engine under Node.
 */
import type { AdminApi } from '../../app/api/contract';
import type { TrayAction } from '../tray/tray-menu';
import type { LaunchAtLogin } from './launch-at-login';

export interface TrayActionDeps {
  api: Pick<AdminApi, 'setActive' | 'getClaudeCodeEnv' | 'setPaused'>;
  /** The proxy's URL: the copied env names it. */
  proxyUrl: string;
  writeClipboard(text: string): void;
  launchAtLogin: LaunchAtLogin;
  openMainWindow(): void;
  quit(): void;
  /** Redraw the menu for a change the engine does not announce (launch at login). */
  redraw(): void;
}

export async function runTrayAction(action: TrayAction, deps: TrayActionDeps): Promise<void> {
  switch (action.kind) {
    case 'switch':
      await deps.api.setActive({ backend: action.backend });
      return;
    case 'copy-claude-env':
      deps.writeClipboard((await deps.api.getClaudeCodeEnv(undefined, { baseUrl: deps.proxyUrl })).text);
      return;
    case 'open':
      return deps.openMainWindow();
    case 'pause':
      await deps.api.setPaused({ paused: true });
      return;
    case 'resume':
      await deps.api.setPaused({ paused: false });
      return;
    case 'toggle-launch-at-login': {
      const now = deps.launchAtLogin.get();
      if (now !== null) deps.launchAtLogin.set(!now);
      return deps.redraw();
    }
    case 'quit':
      return deps.quit();
  }
}
