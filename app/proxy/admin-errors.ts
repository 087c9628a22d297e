/**
 * Error bodies of refusals on the admin API (`/api/*`) made before a route (guard 401/403,
 * framework 404/413): the admin API's one shape `{"error":{"code","message"}}` (app/api/contract.ts),
 * the IR error kind mapped to its code.
 */
import type { ApiErrorBody, ErrorCode } from '../api/contract';

const CODE_OF_KIND: Record<string, ErrorCode> = {
  invalid_request: 'invalid_request',
  authentication: 'unauthorized',
  permission: 'forbidden',
  not_found: 'not_found',
  request_too_large: 'too_large',
  overloaded: 'unavailable',
};

export function adminError(kind: string, message: string): ApiErrorBody {
  return { error: { code: CODE_OF_KIND[kind] ?? 'internal', message } };
}
