/**
 * What every IPC answer is: the result, or the contract's one error `{ code, message, field? }`.
 * Electron keeps only the message of an error thrown by a handler ("Error invoking remote
 * method …"), so the host never throws: it answers an envelope, and the code and field arrive.
 * Types only: the preload and the renderer import it too.
 */
import type { ApiErrorBody } from '../../app/api/contract';

export type IpcError = ApiErrorBody['error'];

export type IpcEnvelope<T> =
  | { ok: true; result: T }
  /** `offline`: set by the preload alone, when no host answered at all (the app shutting down). */
  | { ok: false; error: IpcError; offline?: true };
