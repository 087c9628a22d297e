/**
 * Errors in OpenAI-style bodies, both ways:
 * - backend side: OpenAI `{"error":{message,type,param,code}}`, Moonshot `{"error":{message,type}}`,
 *   NIM problem+json `{"status","title","detail"}`, plain text; retry hints from headers.
 * - client side: `{"error":{message,type,param,code}}` with a `retry-after` header when known.
 */
import type { ApiError, ApiErrorKind } from '../../ir/errors';
import { kindOfStatus, statusOfKind } from '../../ir/errors';
import type { EncodedError } from '../codec';
import { parseDurationMs, parseRetryAfterMs } from '../../limits/rate-limit-headers';

type Headers = Record<string, string | string[] | undefined>;

const MAX_TEXT_MESSAGE = 2000;

function header(headers: Headers, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first.trim() !== '') return first.trim();
  }
  return undefined;
}

/** `retry-after`: delay in seconds or an HTTP date, as whole seconds (the one parser in app/limits). */
export function parseRetryAfter(value: string, now = Date.now()): number | undefined {
  const ms = parseRetryAfterMs(value, now);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}

/** OpenAI reset durations: `6m0s`, `1.5s`, `120ms`, `1h2m3s`; a bare number means seconds. Whole seconds. */
export function parseResetDuration(value: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  const ms = parseDurationMs(value);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}

function retryAfterOf(status: number, headers: Headers): number | undefined {
  const retryAfter = header(headers, 'retry-after');
  const fromRetryAfter = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  if (status !== 429) return undefined; // reset headers ride on every response; they only mean "wait" on a 429
  for (const name of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']) {
    const value = header(headers, name);
    const seconds = value === undefined ? undefined : parseResetDuration(value);
    if (seconds !== undefined) return seconds;
  }
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

interface ErrorFields {
  message?: string;
  type?: string;
  code?: string;
  param?: string;
}

/** Pull message/type/code/param out of any of the error body shapes we know. */
export function errorFieldsOf(body: unknown): ErrorFields {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      const text = body.trim();
      return text === '' ? {} : { message: text.slice(0, MAX_TEXT_MESSAGE) };
    }
  }
  const record = asRecord(value);
  if (!record) return typeof value === 'string' ? { message: value } : {};
  const nested = asRecord(record.error);
  if (nested) {
    const fields: ErrorFields = {};
    const message = str(nested.message);
    const type = str(nested.type);
    const code = str(nested.code);
    const param = str(nested.param);
    if (message) fields.message = message;
    if (type) fields.type = type;
    if (code) fields.code = code;
    if (param) fields.param = param;
    return fields;
  }
  const message = str(record.error) ?? str(record.detail) ?? str(record.message) ?? str(record.title);
  return message ? { message } : {};
}

/** Kind for an error without a usable HTTP status (mid-stream error objects). */
export function kindOfErrorType(type: string | undefined, code: string | undefined): ApiErrorKind {
  const key = `${type ?? ''} ${code ?? ''}`;
  if (/rate_limit|429/.test(key)) return 'rate_limit';
  if (/invalid_request|400/.test(key)) return 'invalid_request';
  if (/authentication|invalid_api_key|401/.test(key)) return 'authentication';
  if (/permission|403/.test(key)) return 'permission';
  if (/not_found|404/.test(key)) return 'not_found';
  if (/overloaded|503|529/.test(key)) return 'overloaded';
  if (/timeout|504/.test(key)) return 'timeout';
  return 'api_error';
}

export function decodeError(status: number, body: unknown, headers: Headers): ApiError {
  const fields = errorFieldsOf(body);
  const error: ApiError = {
    kind: kindOfStatus(status),
    status,
    message: fields.message ?? `upstream answered HTTP ${status} without an error message`,
  };
  if (fields.code) error.code = fields.code;
  if (fields.param) error.param = fields.param;
  const retryAfter = retryAfterOf(status, headers);
  if (retryAfter !== undefined) error.retryAfterSeconds = retryAfter;
  return error;
}

/** An `{"error":{...}}` object that arrived inside a stream. */
export function decodeStreamError(errorObject: unknown): ApiError {
  const fields = errorFieldsOf({ error: errorObject });
  const plain = fields.message ?? str(errorObject);
  const kind = kindOfErrorType(fields.type, fields.code);
  const error: ApiError = { kind, status: statusOfKind(kind), message: plain ?? 'upstream reported an error mid-stream' };
  if (fields.code) error.code = fields.code;
  if (fields.param) error.param = fields.param;
  return error;
}

const TYPE_BY_KIND: Record<ApiErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  api_error: 'server_error',
  timeout: 'server_error',
  overloaded: 'server_error',
};

const DEFAULT_CODE: Partial<Record<ApiErrorKind, string>> = {
  rate_limit: 'rate_limit_exceeded',
  request_too_large: 'request_too_large',
  timeout: 'timeout',
  overloaded: 'overloaded',
};

export function errorBody(error: ApiError): { error: { message: string; type: string; param: string | null; code: string | null } } {
  return {
    error: {
      message: error.message,
      type: TYPE_BY_KIND[error.kind],
      param: error.param ?? null,
      code: error.code ?? DEFAULT_CODE[error.kind] ?? null,
    },
  };
}

export function encodeError(error: ApiError): EncodedError {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil(error.retryAfterSeconds)));
  return { status: error.status, headers, body: errorBody(error) };
}
