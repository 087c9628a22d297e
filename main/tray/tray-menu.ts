/**
 * The tray menu as a pure function of TrayInput, and its translation to Electron's template.
 *
 * Top to bottom: the live line of the active backend (and, below it, what needs a person: the
 * tooltip may not show on Linux panels), the backends as radio items (one click switches), Copy
 * Claude Code env, Open Patchbay, Pause/Resume, Launch at login (where the platform can), Quit.
 * A backend without a key, or whose key was refused, says so after its name and stays selectable:
 * switching to it is how a user gets to fix it, and the icon then says what is missing.
 * While the engine is offline only Open Patchbay, Launch at login and Quit do anything.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { backendProblems, displayName, problemLabel, statsOf } from './backend-health';
import { liveLine } from './live-line';
import type { TrayInput } from './tray-input';
import { trayStatus } from './tray-status';

export type TrayAction =
  | { kind: 'switch'; backend: string }
  | { kind: 'copy-claude-env' }
  | { kind: 'open' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'toggle-launch-at-login' }
  | { kind: 'quit' };

export interface TrayMenuItem {
  type: 'normal' | 'radio' | 'checkbox' | 'separator';
  label?: string;
  checked?: boolean;
  enabled?: boolean;
  action?: TrayAction;
  sublabel?: string;
}

/** Reasons listed under the live line; the popover has them all. */
const MAX_REASON_LINES = 2;

const separator: TrayMenuItem = { type: 'separator' };

export function trayMenu(input: TrayInput): TrayMenuItem[] {
  const { state } = input;
  const online = input.offline === undefined;
  return [
    ...headerItems(input),
    separator,
    ...state.backends.map((b): TrayMenuItem => {
      const problems = backendProblems(b, statsOf(state, b.id));
      const suffix = problems.length > 0 ? ` — ${problems.map(problemLabel).join(', ')}` : '';
      const active = b.id === state.active;
      return {
        type: 'radio',
        label: displayName(state, b.id) + suffix,
        sublabel: b.model,
        checked: active,
        enabled: online,
        // Clicking the active backend again changes nothing: no action to run.
        ...(active ? {} : { action: { kind: 'switch', backend: b.id } }),
      };
    }),
    separator,
    { type: 'normal', label: 'Copy Claude Code env', enabled: online, action: { kind: 'copy-claude-env' } },
    { type: 'normal', label: 'Open Patchbay', enabled: true, action: { kind: 'open' } },
    separator,
    input.paused
      ? { type: 'normal', label: 'Resume proxy', enabled: online, action: { kind: 'resume' } }
      : { type: 'normal', label: 'Pause proxy', enabled: online, action: { kind: 'pause' } },
    ...(input.launchAtLogin === null
      ? []
      : [{ type: 'checkbox', label: 'Launch at login', checked: input.launchAtLogin, enabled: true, action: { kind: 'toggle-launch-at-login' } } satisfies TrayMenuItem]),
    separator,
    { type: 'normal', label: 'Quit Patchbay', enabled: true, action: { kind: 'quit' } },
  ];
}

/** Disabled lines at the top: the live line (or why nothing runs), then what needs a person. */
function headerItems(input: TrayInput): TrayMenuItem[] {
  const info = (label: string): TrayMenuItem => ({ type: 'normal', label, enabled: false });
  if (input.offline !== undefined) return [info(`Patchbay is not running: ${input.offline}`)];
  const status = trayStatus(input);
  const live = liveLine(input.state);
  const lines = [info(input.paused ? `Paused · ${live}` : live), info(`Proxy at ${input.proxyUrl}`)];
  // When paused, the first reason is the pause itself: the header already says it.
  const reasons = input.paused ? status.reasons.slice(1) : status.reasons;
  for (const reason of reasons.slice(0, MAX_REASON_LINES)) lines.push(info(`⚠ ${reason}`));
  return lines;
}

/**
 * Electron's menu template for `items`; each click runs its item's action. Labels carry user text
 * (backend names): a single `&` would mark a mnemonic (Windows, Linux; macOS drops it), `&&` is a
 * literal ampersand everywhere.
 */
export function toMenuTemplate(items: TrayMenuItem[], run: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const action = item.action;
    return {
      type: item.type,
      ...(item.label !== undefined ? { label: escapeMnemonics(item.label) } : {}),
      ...(item.sublabel !== undefined ? { sublabel: item.sublabel } : {}),
      ...(item.checked !== undefined ? { checked: item.checked } : {}),
      ...(item.enabled !== undefined ? { enabled: item.enabled } : {}),
      ...(action ? { click: () => run(action) } : {}),
    };
  });
}

function escapeMnemonics(label: string): string {
  return label.replaceAll('&', '&&');
}
