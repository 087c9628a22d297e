/**
 * `window.patchbay`: the only thing the preload exposes to the window (contextBridge). A narrow,
 * typed API: commands answered as envelopes (never a rejection), events to a listener (never the
 * IpcRendererEvent), the platform. Types only, browser-safe: the renderer imports it for its
 * IPC bridge and for `window.patchbay`.
 */
import type { AdminEvent, CommandInput, CommandName, CommandResult } from '../../app/api/contract';
import type { IpcEnvelope } from './ipc-envelope';

export type { IpcEnvelope, IpcError } from './ipc-envelope';

export interface PatchbayPreloadApi {
  /** Run one admin API command; the promise always resolves, to the result or the one error shape. */
  call<C extends CommandName>(command: C, input?: CommandInput<C>): Promise<IpcEnvelope<CommandResult<C>>>;
  /** Receive the engine's events until the returned function is called. */
  subscribe(listener: (event: AdminEvent) => void): () => void;
  /** `process.platform` of the app (`darwin`, `win32`, `linux`, ...), for platform wording in the UI. */
  readonly platform: string;
}
