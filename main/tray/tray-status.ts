/**
 * The tray icon's state and tooltip, and the reasons the popover lists. In order of precedence:
 * `offline` (the engine is not serving), `paused` (the user paused the proxy), `attention` (the
 * active backend has no key, its key was refused, its upstream is failing or it is rate limited
 * now), else `ok`. The tooltip says the first of these in words; Windows cuts tooltips at 127
 * characters, so it is kept within that. `title` is the active backend's name, short, for the text
 * macOS can show beside a menu-bar icon (tray.setTitle), so the bar itself says which is active.
 */
import { backendProblems, displayName, findBackend, problemSentence, statsOf } from './backend-health';
import type { TrayInput } from './tray-input';
import { rateText } from './live-line';

export type TrayIconState = 'ok' | 'attention' | 'paused' | 'offline';

export interface TrayStatus {
  icon: TrayIconState;
  tooltip: string;
  /** Everything that needs a person, most pressing first (empty when all is well). */
  reasons: string[];
  /** The active backend's name (at most `MAX_TITLE_LENGTH`), empty while offline. */
  title: string;
}

/** Windows' NOTIFYICONDATA tooltip holds 128 UTF-16 units with the terminating NUL. */
export const MAX_TOOLTIP_LENGTH = 127;
/** Menu-bar space is shared with every other app. */
export const MAX_TITLE_LENGTH = 12;

const PREFIX = 'Patchbay — ';

export function trayStatus(input: TrayInput): TrayStatus {
  const { state } = input;
  if (input.offline !== undefined) {
    const reason = `Not running: ${input.offline}`;
    return { icon: 'offline', tooltip: tooltip(reason), reasons: [reason], title: '' };
  }
  const active = displayName(state, state.active);
  const title = cut(active, MAX_TITLE_LENGTH);
  const view = findBackend(state, state.active);
  const problems = view ? backendProblems(view, statsOf(state, state.active)) : [];
  const reasons = problems.map((p) => problemSentence(state, active, p));
  if (input.paused) {
    const paused = `Paused: agents are told to retry later. ${active} is active.`;
    return { icon: 'paused', tooltip: tooltip(paused), reasons: [paused, ...reasons], title };
  }
  if (reasons.length > 0) {
    const more = reasons.length > 1 ? ` (+${reasons.length - 1} more)` : '';
    return { icon: 'attention', tooltip: tooltip(`${reasons[0]}${more}`), reasons, title };
  }
  return { icon: 'ok', tooltip: tooltip(`${active} active, ${rateText(state, state.active)}`), reasons, title };
}

function tooltip(text: string): string {
  return cut(PREFIX + text, MAX_TOOLTIP_LENGTH);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
