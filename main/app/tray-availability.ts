/**
 * Is there somewhere to put a tray icon? macOS and Windows always have one. On Linux, Electron's
 * tray is a StatusNotifierItem: it shows only when a StatusNotifier host runs (KDE, XFCE, Cinnamon,
 * GNOME with the AppIndicator extension); plain GNOME has none, and creating a Tray there neither
 * fails nor shows anything. So ask D-Bus whether `org.kde.StatusNotifierWatcher` has an owner;
 * unknown counts as "no tray", so the window opens and the app is never stranded.
 * `PATCHBAY_TRAY=on|off` overrides the guess (tests, unusual desktops).
 */
import { execFile } from 'node:child_process';

export const STATUS_NOTIFIER_WATCHER = 'org.kde.StatusNotifierWatcher';

export type TrayOverride = 'on' | 'off' | undefined;

export function trayOverride(env: NodeJS.ProcessEnv): TrayOverride {
  const value = env.PATCHBAY_TRAY?.trim().toLowerCase();
  if (value === 'on' || value === '1' || value === 'true') return 'on';
  if (value === 'off' || value === '0' || value === 'false') return 'off';
  return undefined;
}

/** `dbus-send --print-reply=literal … NameHasOwner` prints `   boolean true` or `   boolean false`. */
export function parseNameHasOwnerReply(stdout: string): boolean | undefined {
  const m = /\bboolean\s+(true|false)\b/.exec(stdout);
  return m ? m[1] === 'true' : undefined;
}

export const NAME_HAS_OWNER_COMMAND = [
  'dbus-send',
  '--session',
  '--print-reply=literal',
  '--reply-timeout=1000',
  '--dest=org.freedesktop.DBus',
  '/org/freedesktop/DBus',
  'org.freedesktop.DBus.NameHasOwner',
  `string:${STATUS_NOTIFIER_WATCHER}`,
] as const;

function statusNotifierHostRuns(): Promise<boolean> {
  const [cmd, ...args] = NAME_HAS_OWNER_COMMAND;
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 2000 }, (err, stdout) => resolve(!err && parseNameHasOwnerReply(String(stdout)) === true));
  });
}

export async function trayIsAvailable(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, probe: () => Promise<boolean> = statusNotifierHostRuns): Promise<boolean> {
  const override = trayOverride(env);
  if (override) return override === 'on';
  if (platform === 'darwin' || platform === 'win32') return true;
  return probe();
}
