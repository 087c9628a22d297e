/**
 * The one error of the admin API: `ApiCommandError` carries `{ code, message, field? }` and
 * knows its HTTP status (from the contract's table). Helpers turn zod issues and config
 * validation errors into it. Messages are written here, never copied from a request body, so
 * a key sent by the caller is never echoed back.
 */
import type { z } from 'zod';
import { ConfigError } from '../config/load';
import { InvalidKeyError, KeychainUnavailableError } from '../vault/keychain-errors';
import { ERROR_STATUS, type ApiErrorBody, type ErrorCode } from './contract';

export class ApiCommandError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiCommandError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field !== undefined ? { field: this.field } : {}) } };
  }
}

export const invalid = (message: string, field?: string) => new ApiCommandError('invalid_request', message, field);
export const notFound = (message: string) => new ApiCommandError('not_found', message);
export const conflict = (message: string, field?: string) => new ApiCommandError('conflict', message, field);
export const noBackend = (id: string) => notFound(`no backend has id "${id}"`);
export const unavailable = (message: string) => new ApiCommandError('unavailable', message);

/** `a.b[0].c` from a zod issue path. */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/**
 * Input that failed its schema. `hint` replaces zod's words (which may quote the input) by
 * the expected shape; the field is the first issue's path.
 */
export function invalidInput(error: z.ZodError, hint?: string): ApiCommandError {
  const first = error.issues[0];
  const field = first && first.path.length > 0 ? pathText(first.path) : undefined;
  const message = hint ?? error.issues.map((i) => `${pathText(i.path) || 'input'}: ${i.message}`).join('; ');
  return invalid(message, field);
}

/**
 * A config edit refused by the store's validation, as invalid_request naming the field:
 * "backends[3].format: …" becomes field `format` when `backendIndex` is 3.
 */
export function configRefused(err: unknown, backendIndex?: number): ApiCommandError | undefined {
  if (!(err instanceof ConfigError)) return undefined;
  const message = err.message.replace(/^the edited config is invalid:\n\s*/, '').replace(/\n\s*/g, '; ');
  const m = /^([A-Za-z0-9_.[\]]+): /.exec(message);
  let field = m?.[1];
  if (field && backendIndex !== undefined) field = field.replace(new RegExp(`^backends\\[${backendIndex}\\]\\.?`), '') || undefined;
  return invalid(message, field);
}

/** Validate a command's input; the error names the field, in `hint`'s words when given. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, hint?: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error, hint);
  return parsed.data;
}

/**
 * Any thrown value as the one shape: keychain trouble is `unavailable` (its message names the
 * fix), a refused key shape `invalid_request`; anything else `internal`, with no detail.
 */
export function asApiError(err: unknown): ApiCommandError {
  if (err instanceof ApiCommandError) return err;
  if (err instanceof KeychainUnavailableError) return new ApiCommandError('unavailable', err.message);
  if (err instanceof InvalidKeyError) return new ApiCommandError('invalid_request', err.message, 'key');
  return new ApiCommandError('internal', 'internal error');
}
