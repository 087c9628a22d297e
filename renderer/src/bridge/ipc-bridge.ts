/**
 * The bridge inside the Electron window: `window.patchbay` (the preload's narrow API) answers
 * commands as envelopes, which become results or BridgeErrors in the one error shape; results
 * and events are checked against the contract like the HTTP bridge does. Connection: the host is
 * in the same app, so there is no network to lose and no session to expire. `online` after the
 * first answer; `offline` only when the preload says no host answered (the app shutting down
 * or its engine stopped), until the next answer; never `signed-out`.
 */
import { apiErrorBodySchema, COMMANDS, EVENTS } from '../../../app/api/contract';
import type { AdminEvent } from '../../../app/api/contract';
import type { PatchbayPreloadApi } from '../../../main/shared/preload-api';
import { BridgeError } from './bridge';
import type { Bridge, CallArgs, CommandName, CommandResult, Connection } from './bridge';

const errorSchema = apiErrorBodySchema.shape.error;

export function createIpcBridge(api: PatchbayPreloadApi): Bridge {
  let connection: Connection = 'connecting';
  const connectionListeners = new Set<(c: Connection) => void>();
  const eventListeners = new Set<(e: AdminEvent) => void>();
  let unsubscribeHost: (() => void) | undefined;
  let closed = false;

  const setConnection = (next: Connection): void => {
    if (next === connection || closed) return;
    connection = next;
    for (const listener of [...connectionListeners]) listener(next);
  };

  const onHostEvent = (event: AdminEvent): void => {
    const schema = EVENTS[event?.type as keyof typeof EVENTS];
    if (!schema) return;
    const parsed = schema.safeParse(event.data);
    if (!parsed.success) return;
    const checked = { type: event.type, data: parsed.data } as AdminEvent;
    for (const listener of [...eventListeners]) listener(checked);
  };

  async function call<C extends CommandName>(command: C, ...args: CallArgs<C>): Promise<CommandResult<C>> {
    let envelope: unknown;
    try {
      envelope = await api.call(command, args[0]);
    } catch {
      // The preload never rejects; a rejection means the bridge itself is broken.
      envelope = undefined;
    }
    if (!envelope || typeof envelope !== 'object' || !('ok' in envelope)) {
      throw new BridgeError({ code: 'internal', message: `Patchbay’s answer to ${command} was not understood` });
    }
    if (envelope.ok !== true) {
      const error = errorSchema.safeParse((envelope as { error?: unknown }).error);
      const body = error.success ? error.data : { code: 'internal' as const, message: `Patchbay refused ${command} without saying why` };
      setConnection((envelope as { offline?: unknown }).offline === true ? 'offline' : 'online');
      throw new BridgeError(body);
    }
    setConnection('online');
    const parsed = COMMANDS[command].result.safeParse((envelope as { result?: unknown }).result);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
      throw new BridgeError({ code: 'internal', message: `Patchbay’s answer to ${command} does not match the contract${where}` });
    }
    return parsed.data as CommandResult<C>;
  }

  return {
    call,
    subscribe(listener) {
      const entry = (event: AdminEvent): void => listener(event);
      eventListeners.add(entry);
      if (!unsubscribeHost && !closed) unsubscribeHost = api.subscribe(onHostEvent);
      return () => {
        eventListeners.delete(entry);
        if (eventListeners.size === 0 && unsubscribeHost) {
          unsubscribeHost();
          unsubscribeHost = undefined;
        }
      };
    },
    connection: () => connection,
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    close() {
      unsubscribeHost?.();
      unsubscribeHost = undefined;
      closed = true;
      eventListeners.clear();
      connectionListeners.clear();
    },
  };
}
