/**
 * The engine's whole State, kept current from its events: `stateChanged` brings a new State,
 * `stats` (a few a second) only the live numbers, which are folded into the last State. The
 * tray and the notifier read States, so both follow the engine through this.
 */
import type { AdminApi, AdminEvent, State } from '../../app/api/contract';

/** The State after `event`, or undefined when the event does not change what a State says. */
export function applyEvent(state: State, event: AdminEvent): State | undefined {
  switch (event.type) {
    case 'stateChanged':
      return event.data;
    case 'stats':
      return { ...state, stats: event.data };
    default:
      return undefined;
  }
}

/** Calls `onState` with the current State, then with each new one; returns unsubscribe. */
export async function followState(api: Pick<AdminApi, 'getState' | 'subscribe'>, onState: (state: State) => void): Promise<() => void> {
  let current: State | undefined;
  const early: AdminEvent[] = [];
  // Subscribe first so nothing between getState() and subscribe() is lost.
  const unsubscribe = api.subscribe((event) => {
    if (!current) return void early.push(event);
    const next = applyEvent(current, event);
    if (next) onState((current = next));
  });
  current = await api.getState();
  for (const event of early) current = applyEvent(current, event) ?? current;
  onState(current);
  return unsubscribe;
}
