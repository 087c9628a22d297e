/**
 * What the tray is drawn from: the engine's State plus the few facts only the desktop shell
 * knows. The tray's menu, icon and tooltip are pure functions of this.
 */
import type { State } from '../../app/api/contract';

export interface TrayInput {
  state: State;
  paused: boolean;
  /** Whether the app starts at login; null when this platform cannot (the item is left out). */
  launchAtLogin: boolean | null;
  /** The proxy's URL, e.g. `http://127.0.0.1:7420`. */
  proxyUrl: string;
  /**
   * Set when the engine is not serving (it failed to start or has stopped): the reason in words.
   * `state` is then the last one seen (or an empty one) and nothing in it can be acted on.
   */
  offline?: string;
}
