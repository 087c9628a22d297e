/**
 * "Launch at login", opt-in (default off). macOS and Windows have a system setting Electron
 * drives (`app.setLoginItemSettings`); Linux desktops start what `~/.config/autostart/*.desktop`
 * names (XDG Autostart). The file's path and text are pure functions, unit-tested.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const AUTOSTART_FILE_NAME = 'patchbay.desktop';

/** `$XDG_CONFIG_HOME/autostart/patchbay.desktop` (default `~/.config`). */
export function linuxAutostartPath(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

/** One argument of an `Exec=` line, quoted as the Desktop Entry spec asks when it needs it. */
export function quoteExecArg(arg: string): string {
  if (arg !== '' && !/[\s"'\\`$<>~|&;*?#()%]/.test(arg)) return arg;
  // Inside double quotes, `"`, `` ` ``, `$` and `\` are escaped with a backslash; `%` is doubled
  // (field codes), and the whole value is then a desktop-file string, whose `\` is escaped again.
  const quoted = `"${arg.replace(/(["`$\\])/g, '\\$1').replace(/%/g, '%%')}"`;
  return quoted.replace(/\\/g, '\\\\');
}

/**
 * The autostart entry. `command`: what starts the app — the AppImage file (`$APPIMAGE`, not the
 * temporary mount it runs from), the installed binary, or Electron plus the app folder in a checkout.
 */
export function linuxAutostartEntry(command: readonly string[]): string {
  if (command.length === 0) throw new Error('linuxAutostartEntry: no command');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Patchbay',
    'Comment=Local translation proxy for coding agents',
    `Exec=${command.map(quoteExecArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** The command that starts this same app again, as the autostart entry should run it. */
export function relaunchCommand(input: { execPath: string; isPackaged: boolean; appPath: string; env: NodeJS.ProcessEnv }): string[] {
  if (input.env.APPIMAGE) return [input.env.APPIMAGE];
  return input.isPackaged ? [input.execPath] : [input.execPath, input.appPath];
}

export interface LaunchAtLogin {
  /** null where the platform offers no way (the tray menu then leaves the item out). */
  get(): boolean | null;
  set(enabled: boolean): void;
}

/** The slice of Electron's `app` the macOS/Windows setting needs. */
export interface LoginItemApp {
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
}

export function createLaunchAtLogin(input: {
  platform: NodeJS.Platform;
  app: LoginItemApp;
  env: NodeJS.ProcessEnv;
  command: readonly string[];
  home?: string;
}): LaunchAtLogin {
  const { platform, app } = input;
  if (platform === 'darwin' || platform === 'win32') {
    return {
      get: () => app.getLoginItemSettings().openAtLogin,
      set: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled }),
    };
  }
  if (platform === 'linux') {
    const path = linuxAutostartPath(input.env, input.home);
    return {
      get: () => existsSync(path),
      set: (enabled) => {
        if (!enabled) return rmSync(path, { force: true });
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, linuxAutostartEntry(input.command), { mode: 0o644 });
      },
    };
  }
  return { get: () => null, set: () => undefined };
}
