/**
 * One Patchbay per user: a second launch hands over to the first (which shows its window)
 * and exits, instead of failing on the port the first one holds.
 */
import type { App } from 'electron';

/** False when another instance runs: the caller quits at once. */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'on'>, onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => onSecondLaunch());
  return true;
}
