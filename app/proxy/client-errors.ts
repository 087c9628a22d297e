/** Errors in the client's own wire format (via the format's codec). */
import type { WireFormat } from '../codecs/codec';
import { apiError, kindOfStatus, type ApiError } from '../ir/errors';
import { codecFor } from '../codecs/registry';

export function encodeClientError(format: WireFormat, error: ApiError): { status: number; headers: Record<string, string>; body: string } {
  const encoded = codecFor(format).encodeError(error);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...encoded.headers };
  if (error.retryAfterSeconds !== undefined && !hasHeader(headers, 'retry-after')) {
    headers['retry-after'] = String(error.retryAfterSeconds);
  }
  return { status: encoded.status, headers, body: JSON.stringify(encoded.body) };
}

/** An ApiError for an error fastify raised itself (body too large, bad JSON, ...). */
export function apiErrorFromFramework(err: { statusCode?: number; code?: string; message: string }): ApiError {
  const status = err.statusCode ?? 500;
  if (status === 413) return apiError('request_too_large', 'request body is larger than the proxy allows');
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError) {
    return apiError('invalid_request', `request body is not valid JSON: ${err.message}`);
  }
  if (status === 415) return apiError('invalid_request', 'request body must be JSON (content-type: application/json)');
  if (status >= 400 && status < 500) return { ...apiError(kindOfStatus(status), err.message), status };
  return apiError('api_error', 'internal error in the proxy');
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}
