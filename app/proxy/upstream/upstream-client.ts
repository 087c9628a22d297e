/**
 * Upstream HTTP calls over one keep-alive undici Agent per proxy server.
 * Failures are turned into ApiErrors that name the backend and its host, never its key.
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { BackendConfig } from '../../config/schema';
import { apiError, proxyConfigError, type ApiError } from '../../ir/errors';
import { redactSecrets } from '../secrets';
import { upstreamHost } from './upstream-target';

export interface UpstreamCall {
  backend: BackendConfig;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  signal: AbortSignal;
}

export type UpstreamResponse = Dispatcher.ResponseData;

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export class UpstreamClient {
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });

  /** Transport failures are thrown as they came (the caller decides: retry, or `connectionError`). */
  send(call: UpstreamCall): Promise<UpstreamResponse> {
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
  const persistent = persistentConnectProblem(backend, code);
  if (persistent) return proxyConfigError(`${where} is unreachable: ${detail}`, persistent);
  return apiError('api_error', `${where} is unreachable: ${detail}`, { status: 502 });
}

/**
 * The fix, when a connect failure is a persistent problem of the configured `baseUrl` (the
 * clients must not retry it: docs/client-retries.md): no such host (ENOTFOUND; EAI_AGAIN is a
 * DNS hiccup and stays retryable), or nothing listening on a loopback port (a local model
 * server not started, or the wrong port typed). A remote refusal or reset may be a restart in
 * progress, and timeouts may pass: those stay 502/504, which the clients retry.
 */
function persistentConnectProblem(backend: BackendConfig, code: string | undefined): string | undefined {
  const edit = `correct the backend's baseUrl (PATCH /api/backends/${backend.id} {"baseUrl":"..."}) or switch to another backend (PUT /api/active)`;
  if (code === 'ENOTFOUND') return `no such host: ${edit}`;
  if (code === 'ECONNREFUSED' && isLoopbackUrl(backend.baseUrl)) return `nothing listens at ${backend.baseUrl}: start the local server, or ${edit}`;
  return undefined;
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
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
