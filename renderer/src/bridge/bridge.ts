/**
 * The bridge: the one typed contract the UI talks to, whatever hosts it (the HTTP + SSE page
 * served by `patchbay serve`, or the Electron window over IPC). Commands and events are typed
 * from app/api/contract.ts; every failure is a BridgeError in the contract's one error shape.
 */
import type { AdminEvent, ApiErrorBody, CommandInput, CommandName, CommandResult, ErrorCode } from '../../../app/api/contract';

export type { AdminEvent, CommandInput, CommandName, CommandResult };

/**
 * How the UI is connected to the engine: `connecting` before the first answer, `online`,
 * `offline` (the engine does not answer: stopped, restarting, network), `signed-out`
 * (the session is gone: the page needs a new login code).
 */
export type Connection = 'connecting' | 'online' | 'offline' | 'signed-out';

/** Commands whose input may be left out get an optional argument. */
export type CallArgs<C extends CommandName> = undefined extends CommandInput<C> ? [input?: CommandInput<C>] : [input: CommandInput<C>];

export interface Bridge {
  call<C extends CommandName>(command: C, ...args: CallArgs<C>): Promise<CommandResult<C>>;
  /** Receive engine events until the returned function is called. */
  subscribe(listener: (event: AdminEvent) => void): () => void;
  connection(): Connection;
  onConnection(listener: (connection: Connection) => void): () => void;
  close(): void;
}

/** A failed command, in the contract's error shape (`unavailable` when the engine did not answer). */
export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(body: ApiErrorBody['error']) {
    super(body.message);
    this.name = 'BridgeError';
    this.code = body.code;
    this.field = body.field;
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field !== undefined ? { field: this.field } : {}) } };
  }
}

/** Any thrown value as a BridgeError (for showing it: the message is one sentence). */
export function asBridgeError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  return new BridgeError({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
}
