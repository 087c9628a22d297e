/**
 * The IR of an API error. Each codec maps its format's error bodies and statuses into
 * this and back, keeping the upstream's wording: Claude Code's retry logic keys on it.
 */
export type ApiErrorKind =
  | 'invalid_request' // 400
  | 'authentication' // 401
  | 'permission' // 403
  | 'not_found' // 404
  | 'request_too_large' // 413
  | 'rate_limit' // 429
  | 'api_error' // 500
  | 'timeout' // 504
  | 'overloaded'; // 529 (Anthropic) / 503

export interface ApiError {
  kind: ApiErrorKind;
  /** HTTP status to answer with. */
  status: number;
  /** Human-readable message, the upstream's own wording when there was an upstream. */
  message: string;
  /** Seconds the client should wait before retrying, when known. */
  retryAfterSeconds?: number;
  /** OpenAI `code` / `param`, kept when the upstream gave them. */
  code?: string;
  param?: string;
}

const STATUS_BY_KIND: Record<ApiErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  request_too_large: 413,
  rate_limit: 429,
  api_error: 500,
  timeout: 504,
  overloaded: 529,
};

export function statusOfKind(kind: ApiErrorKind): number {
  return STATUS_BY_KIND[kind];
}

/** Best kind for an HTTP status from any upstream. */
export function kindOfStatus(status: number): ApiErrorKind {
  switch (status) {
    case 400:
    case 422:
      return 'invalid_request';
    case 401:
      return 'authentication';
    case 403:
      return 'permission';
    case 404:
      return 'not_found';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit';
    case 408:
    case 504:
      return 'timeout';
    case 503:
    case 529:
      return 'overloaded';
    default:
      return status >= 400 && status < 500 ? 'invalid_request' : 'api_error';
  }
}

export function apiError(kind: ApiErrorKind, message: string, extra: Partial<ApiError> = {}): ApiError {
  return { kind, status: statusOfKind(kind), message, ...extra };
}

/** Thrown by decoders and the pipeline; carries an ApiError to answer with. */
export class ApiErrorException extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
    this.name = 'ApiErrorException';
  }
}

/** `code` of an error caused by Patchbay's own configuration (OpenAI-format bodies carry it). */
export const PROXY_CONFIG_ERROR_CODE = 'patchbay_config';

/**
 * A problem of Patchbay's own configuration (no key, keychain unusable, unknown backend prefix,
 * backend unreachable): a 400, which Claude Code, OpenCode and Codex all show at once without
 * retrying (measured: docs/client-retries.md), with the fix in the message.
 */
export function proxyConfigError(problem: string, fix: string): ApiError {
  return apiError('invalid_request', `Patchbay configuration problem: ${problem}. Fix: ${fix}`, { code: PROXY_CONFIG_ERROR_CODE });
}

export function invalidRequest(message: string, param?: string): ApiErrorException {
  return new ApiErrorException(apiError('invalid_request', message, param ? { param } : {}));
}
