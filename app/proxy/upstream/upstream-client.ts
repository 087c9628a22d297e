/**
 * Upstream HTTP calls over one keep-alive undici Agent per proxy server.
 * Failures are turned into ApiErrors that name the backend and its host, never its key.
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { BackendConfig } from '../../config/schema';
import { ApiErrorException, apiError, type ApiError } from '../../ir/errors';
import { redactSecrets } from '../secrets';
import { upstreamHost } from './upstream-target';

export interface UpstreamCall {
  backend: BackendConfig;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  signal: AbortSignal;
  /** The key in use, so it can be scrubbed from any error text. */
  key: string | undefined;
}

export type UpstreamResponse = Dispatcher.ResponseData;

/** What the paths send upstream through: the client itself, or a wrapper that gates attempts. */
export interface UpstreamSender {
  send(call: UpstreamCall): Promise<UpstreamResponse>;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export class UpstreamClient {
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });

  async send(call: UpstreamCall): Promise<UpstreamResponse> {
    try {
      return await this.sendRaw(call);
    } catch (err) {
      if (call.signal.aborted) throw err;
      throw new ApiErrorException(connectionError(call.backend, err, call.key, 'before'));
    }
  }

  /** Like `send`, but transport failures are thrown as they came (for retry decisions). */
  sendRaw(call: UpstreamCall): Promise<UpstreamResponse> {
    const timeout = call.backend.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return request(call.url, {
      method: 'POST',
      headers: call.headers,
      body: JSON.stringify(call.body),
      signal: call.signal,
      dispatcher: this.agent,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** An ApiError for a transport failure talking to a backend, scrubbed of the key. */
export function connectionError(backend: BackendConfig, err: unknown, key: string | undefined, when: 'before' | 'during'): ApiError {
  const code = errorCode(err);
  const detail = redactSecrets(describe(err), [key]);
  const where = `backend "${backend.id}" (${upstreamHost(backend)})`;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return apiError('timeout', `${where} timed out: ${detail}`);
  }
  if (when === 'during') {
    return apiError('api_error', `the connection to ${where} failed mid-stream: ${detail}`, { status: 502 });
  }
  return apiError('api_error', `${where} is unreachable: ${detail}`, { status: 502 });
}

function errorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object') {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const cause = (err as { cause?: unknown }).cause;
    if (cause) return errorCode(cause);
  }
  return undefined;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
