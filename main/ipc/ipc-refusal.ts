/**
 * Refusals the IPC host writes itself (before the API runs): the contract's one error shape,
 * in our words. A payload that fails its schema is described by field and expected type only,
 * never by quoting it (a key may be in it).
 */
import type { z } from 'zod';
import type { ErrorCode } from '../../app/api/contract';
import type { IpcEnvelope, IpcError } from '../shared/ipc-envelope';

export function refusal(code: ErrorCode, message: string, field?: string): IpcEnvelope<never> {
  const error: IpcError = { code, message, ...(field !== undefined ? { field } : {}) };
  return { ok: false, error };
}

/** `a.b[0].c` from a zod issue path (the same notation as the API's own refusals). */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function expected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'unrecognized_keys':
      return issue.keys.length === 1 ? 'an unknown field' : 'unknown fields';
    case 'too_small':
    case 'too_big':
      return 'out of range';
    case 'custom':
      return issue.message; // written in the contract, never the input
    default:
      return 'not valid';
  }
}

export function invalidPayload(command: string, error: z.ZodError): IpcEnvelope<never> {
  const first = error.issues[0];
  const field = first && first.path.length > 0 ? pathText(first.path) : undefined;
  const where = field ? `${field}: ` : '';
  return refusal('invalid_request', `${command} input is not valid: ${where}${first ? expected(first) : 'not valid'}`, field);
}
