/**
 * The core of the preload, as a function of an ipcRenderer-like object so tests run it without
 * Electron: `createPreloadApi(ipcRenderer, platform)` is what the window gets as
 * `window.patchbay`. Commands go through one invoke channel and always resolve to an envelope
 * (a failed invoke, i.e. no host, becomes `unavailable`); events come from one channel,
 * followed only while the window listens, and reach listeners without the IpcRendererEvent.
 * Imports nothing but the channel enum and types: a sandboxed preload may only require electron.
 */
import type { AdminEvent } from '../../app/api/contract';
import { IpcChannel } from '../shared/ipc-channels';
import type { IpcEnvelope } from '../shared/ipc-envelope';
import type { PatchbayPreloadApi } from '../shared/preload-api';

/** The part of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const NO_HOST: IpcEnvelope<never> = {
  ok: false,
  offline: true,
  error: { code: 'unavailable', message: 'Patchbay’s engine is not answering (the app may be shutting down).' },
};

const NOT_SENDABLE: IpcEnvelope<never> = {
  ok: false,
  error: { code: 'invalid_request', message: 'the input could not be sent to Patchbay (plain data only)', field: 'input' },
};

/** invoke, with every failure as an envelope: nothing rejects into the page. */
async function invoke(ipc: IpcRendererLike, channel: IpcChannel, ...args: unknown[]): Promise<IpcEnvelope<unknown>> {
  let answer: Promise<unknown>;
  try {
    answer = ipc.invoke(channel, ...args); // throws at once when an argument cannot be cloned
  } catch {
    return NOT_SENDABLE;
  }
  try {
    return (await answer) as IpcEnvelope<unknown>;
  } catch {
    return NO_HOST;
  }
}

export function createPreloadApi(ipc: IpcRendererLike, platform: string): PatchbayPreloadApi {
  const listeners = new Set<(event: AdminEvent) => void>();
  const onEvent = (_event: unknown, payload: unknown): void => {
    for (const listener of [...listeners]) {
      try {
        listener(payload as AdminEvent);
      } catch {
        // one listener's failure must not starve the others
      }
    }
  };

  return {
    call: ((command: string, input?: unknown) => invoke(ipc, IpcChannel.Call, command, input)) as PatchbayPreloadApi['call'],
    subscribe(listener) {
      const first = listeners.size === 0;
      const entry = (event: AdminEvent): void => listener(event); // one entry per subscription, even for the same function
      listeners.add(entry);
      if (first) {
        ipc.on(IpcChannel.Event, onEvent);
        void invoke(ipc, IpcChannel.Subscribe);
      }
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        listeners.delete(entry);
        if (listeners.size > 0) return;
        ipc.removeListener(IpcChannel.Event, onEvent);
        void invoke(ipc, IpcChannel.Unsubscribe);
      };
    },
    platform,
  };
}
