/**
 * Errors in the Responses shape, chosen so Codex behaves well (field notes, "OpenAI Responses"):
 * - bodies `{"error":{message,type,param,code}}` with the upstream's status and wording;
 * - a context overflow always carries `code: "context_length_exceeded"` (Codex then says it ran
 *   out of room instead of retrying);
 * - a 429 always carries `retry-after` (Codex does not retry a 429 without one), and its message
 *   says "Please try again in Ns." (what Codex reads from a `response.failed` to space retries).
 * Backend side: a Responses backend errs like Chat Completions, so the OpenAI decoder reads it.
 */
import type { ApiError, ApiErrorKind } from '../../ir/errors';
import { statusOfKind } from '../../ir/errors';
import { isContextOverflow } from '../../translate/context-overflow';
import type { EncodedError } from '../codec';
import { errorBody as openaiErrorBody, kindOfErrorType } from '../openai/errors';

export { decodeError } from '../openai/errors';

export const CONTEXT_LENGTH_EXCEEDED = 'context_length_exceeded';
/** Seconds a 429 asks the client to wait when nobody said how long. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** An error object from a `response.failed` / `error` event or a failed response body. */
export function decodeWireErrorObject(error: { code?: string | null; message?: string | null; type?: string | null; param?: string | null }): ApiError {
  const kind: ApiErrorKind = error.code === CONTEXT_LENGTH_EXCEEDED ? 'invalid_request' : kindOfErrorType(error.type ?? undefined, error.code ?? undefined);
  const out: ApiError = { kind, status: statusOfKind(kind), message: error.message || 'upstream reported a failed response' };
  if (error.code) out.code = error.code;
  if (error.param) out.param = error.param;
  const wait = /try again in (\d+(?:\.\d+)?)\s*s/i.exec(out.message)?.[1];
  if (wait !== undefined) out.retryAfterSeconds = Math.ceil(Number(wait));
  return out;
}

function retryAfterSeconds(error: ApiError): number | undefined {
  if (error.retryAfterSeconds !== undefined) return Math.max(0, Math.ceil(error.retryAfterSeconds));
  return error.kind === 'rate_limit' ? DEFAULT_RETRY_AFTER_SECONDS : undefined;
}

/** The error as Codex should see it: overflow coded, rate-limit wait stated in the message. */
export function clientFacing(error: ApiError): ApiError {
  const out: ApiError = { ...error };
  if (isContextOverflow(error)) {
    out.kind = 'invalid_request';
    out.status = 400;
    out.code = CONTEXT_LENGTH_EXCEEDED;
  }
  const wait = retryAfterSeconds(out);
  if (wait !== undefined) {
    out.retryAfterSeconds = wait;
    if (out.kind === 'rate_limit' && !/try again in/i.test(out.message)) out.message = `${out.message} Please try again in ${wait}s.`;
  }
  return out;
}

export function errorBody(error: ApiError): ReturnType<typeof openaiErrorBody> {
  return openaiErrorBody(clientFacing(error));
}

export function encodeError(error: ApiError): EncodedError {
  const facing = clientFacing(error);
  const headers: Record<string, string> = {};
  if (facing.retryAfterSeconds !== undefined) headers['retry-after'] = String(facing.retryAfterSeconds);
  return { status: facing.status, headers, body: openaiErrorBody(facing) };
}

/** `response.error` of a `response.failed` event: `{code, message}`. */
export function failedResponseError(error: ApiError): { code: string; message: string } {
  const body = openaiErrorBody(clientFacing(error)).error;
  return { code: body.code ?? body.type, message: body.message };
}

/**
 * An error for a Responses stream already under way whose encoder is gone (the proxy failed
 * after committing): OpenAI's own mid-stream `error` event. A fresh encoder would open a second
 * response with another id, which the `openai` SDK refuses as a changed identity; Codex retries
 * on either.
 */
export function streamErrorEventText(error: ApiError): string {
  const body = openaiErrorBody(clientFacing(error)).error;
  const data = { type: 'error', code: body.code ?? body.type, message: body.message, param: body.param, sequence_number: 0 };
  return `event: error\ndata: ${JSON.stringify(data)}\n\n`;
}
