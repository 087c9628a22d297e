/** Anthropic error bodies <-> the IR ApiError, keeping the upstream's wording intact. */
import { apiError, kindOfStatus, statusOfKind } from '../../ir/errors';
import type { ApiError, ApiErrorKind } from '../../ir/errors';
import type { EncodedError } from '../codec';
import type { WireErrorBody, WireErrorType } from './wire-types';
import { parseRetryAfterMs } from '../../limits/rate-limit-headers';

const TYPE_BY_KIND: Record<ApiErrorKind, WireErrorType> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  api_error: 'api_error',
  timeout: 'timeout_error',
  overloaded: 'overloaded_error',
};

const KIND_BY_TYPE: Record<string, ApiErrorKind> = {
  ...Object.fromEntries(Object.entries(TYPE_BY_KIND).map(([kind, type]) => [type, kind as ApiErrorKind])),
  billing_error: 'permission',
};

/** Longest excerpt of a non-JSON upstream body kept in the message. */
export const EXCERPT_LIMIT = 200;

export function errorBody(error: ApiError): WireErrorBody {
  return { type: 'error', error: { type: TYPE_BY_KIND[error.kind], message: error.message } };
}

export function encodeError(error: ApiError): EncodedError {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil(error.retryAfterSeconds)));
  return { status: statusOfKind(error.kind), headers, body: errorBody(error) };
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** `retry-after` as seconds: a number of seconds or an HTTP date (the one parser in app/limits). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  const ms = value ? parseRetryAfterMs(value, now) : undefined;
  return ms === undefined ? undefined : ms / 1000;
}

/** Text of an HTML or plain body, whitespace collapsed, cut to EXCERPT_LIMIT characters. */
export function excerpt(text: string): string {
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > EXCERPT_LIMIT ? `${plain.slice(0, EXCERPT_LIMIT)}...` : plain;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parseBody(body: unknown): unknown {
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Upstream error (Anthropic `{"type":"error","error":{type,message}}`, or anything else) -> IR. */
export function decodeError(
  status: number,
  rawBody: unknown,
  headers: Record<string, string | string[] | undefined>,
): ApiError {
  const body = parseBody(rawBody);
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'));
  const extra = retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {};
  const obj = asObject(body);
  const inner = asObject(obj?.error) ?? obj;
  const message = inner?.message;
  if (typeof message === 'string' && message.length > 0) {
    const type = inner?.type;
    const kind = (typeof type === 'string' ? KIND_BY_TYPE[type] : undefined) ?? kindOfStatus(status);
    const code = inner?.code;
    return apiError(kind, message, { ...extra, ...(typeof code === 'string' ? { code } : {}) });
  }
  const text = typeof body === 'string' ? excerpt(body) : body === undefined || body === null ? '' : excerpt(JSON.stringify(body));
  const what = `upstream returned HTTP ${status}`;
  return apiError(kindOfStatus(status), text ? `${what}: ${text}` : what, extra);
}
