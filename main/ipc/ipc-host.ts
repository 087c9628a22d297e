/**
 * The admin API over Electron IPC, in the manner of the HTTP host: one handler runs commands
 * (the name checked against the contract's COMMANDS, the payload against its schema, the
 * answer an envelope: Electron would strip a thrown error to its message), and each window
 * that subscribes gets the events pushed with `webContents.send` until it unsubscribes or is
 * destroyed. Only our own windows are answered (`isOwnSender`); nothing throws back across.
 */
import { asApiError } from '../../app/api/api-error';
import { COMMANDS, type AdminApi, type CallContext, type CommandName } from '../../app/api/contract';
import { IpcChannel } from '../shared/ipc-channels';
import type { IpcEnvelope } from '../shared/ipc-envelope';
import { invalidPayload, refusal } from './ipc-refusal';
import type { IpcEventLike, IpcMainLike, SenderLike } from './ipc-like';

export interface IpcHostDeps {
  ipcMain: IpcMainLike;
  api: AdminApi;
  /** True when the message comes from one of our windows showing our page (see own-sender.ts). */
  isOwnSender(event: IpcEventLike): boolean;
  /** The proxy's URL, for snippets that name it (like the HTTP host's Host header). */
  baseUrl(): string;
}

const FORBIDDEN = refusal('forbidden', 'only Patchbay’s own windows may use its API');
const DONE: IpcEnvelope<null> = { ok: true, result: null };

const isCommand = (name: unknown): name is CommandName => typeof name === 'string' && Object.hasOwn(COMMANDS, name);

/** The sender check itself must not throw (a destroyed frame's getters can). */
function allowed(deps: IpcHostDeps, event: IpcEventLike): boolean {
  try {
    return deps.isOwnSender(event);
  } catch {
    return false;
  }
}

export function setupIpcHost(deps: IpcHostDeps): () => void {
  const { ipcMain, api } = deps;
  /** One event subscription per window (webContents id). */
  const subscriptions = new Map<number, () => void>();

  async function call(event: IpcEventLike, command: unknown, input: unknown): Promise<IpcEnvelope<unknown>> {
    try {
      if (!allowed(deps, event)) return FORBIDDEN;
      if (!isCommand(command)) return refusal('invalid_request', 'no such command', 'command');
      const parsed = COMMANDS[command].input.safeParse(input);
      if (!parsed.success) return invalidPayload(command, parsed.error);
      const context: CallContext = { baseUrl: deps.baseUrl() };
      const run = api[command] as (input: unknown, context: CallContext) => Promise<unknown>;
      return { ok: true, result: await run(parsed.data, context) };
    } catch (err) {
      return { ok: false, error: asApiError(err).toBody().error };
    }
  }

  function unsubscribe(sender: SenderLike): void {
    subscriptions.get(sender.id)?.();
  }

  function subscribe(sender: SenderLike): void {
    unsubscribe(sender); // a reloaded page subscribes again and wants the first stats again
    const source: { off?: () => void } = {}; // set once api.subscribe returns (it may deliver before)
    const stop = (): void => {
      if (subscriptions.get(sender.id) !== stop) return;
      subscriptions.delete(sender.id);
      sender.removeListener('destroyed', stop);
      source.off?.();
    };
    subscriptions.set(sender.id, stop);
    sender.once('destroyed', stop);
    source.off = api.subscribe((event) => {
      if (sender.isDestroyed()) return stop();
      try {
        sender.send(IpcChannel.Event, event);
      } catch {
        // Gone between the check and the send: stop. Otherwise the event could not be cloned: skip it only.
        if (sender.isDestroyed()) stop();
      }
    });
    // Stopped while subscribing (the first event found the window gone).
    if (subscriptions.get(sender.id) !== stop) source.off();
  }

  const guarded =
    (run: (sender: SenderLike) => void) =>
    (event: IpcEventLike): IpcEnvelope<null> => {
      try {
        if (!allowed(deps, event)) return FORBIDDEN;
        run(event.sender);
        return DONE;
      } catch (err) {
        return { ok: false, error: asApiError(err).toBody().error };
      }
    };

  ipcMain.handle(IpcChannel.Call, (event, command, input) => call(event, command, input));
  ipcMain.handle(IpcChannel.Subscribe, guarded(subscribe));
  ipcMain.handle(IpcChannel.Unsubscribe, guarded(unsubscribe));

  return () => {
    ipcMain.removeHandler(IpcChannel.Call);
    ipcMain.removeHandler(IpcChannel.Subscribe);
    ipcMain.removeHandler(IpcChannel.Unsubscribe);
    for (const stop of [...subscriptions.values()]) stop();
  };
}
