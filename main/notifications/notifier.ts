/**
 * Desktop notifications for what needs a person (a key rejected, 429s sustained, failover,
 * a context overflow rerouted): notification-rules.ts decides from successive States, this
 * shows them where the system supports notifications. Clicking one opens the main window.
 */
import { Notification } from 'electron';
import type { AdminApi } from '../../app/api/contract';
import { followState } from '../app/follow-state';
import { NotificationRules, type DesktopNotice } from './notification-rules';

export async function startNotifier(deps: { api: AdminApi; onClick(notice: DesktopNotice): void; now?: () => number }): Promise<() => void> {
  const rules = new NotificationRules();
  const now = deps.now ?? Date.now;
  const supported = Notification.isSupported();
  return followState(deps.api, (state) => {
    const notices = rules.observe(state, now());
    if (!supported) return;
    for (const notice of notices) {
      const shown = new Notification({ title: notice.title, body: notice.body });
      shown.on('click', () => deps.onClick(notice));
      shown.show();
    }
  });
}
