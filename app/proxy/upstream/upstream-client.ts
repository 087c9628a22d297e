/**
 * Upstream HTTP calls over one pair of keep-alive agents per proxy server (http-post.ts).
 * Failures are turned into ApiErrors that name the backend and its host, never its key.
 */
import type { BackendConfig } from '../../config/schema';
import { apiError, proxyConfigError, type ApiError } from '../../ir/errors';
import type { CancelSignal } from '../../limits/cancellation';
import { redactSecrets } from '../secrets';
import { postUpstream, UpstreamAgents, type UpstreamResponse } from './http-post';
import { upstreamHost } from './upstream-target';

export type { UpstreamResponse } from './http-post';

export interface UpstreamCall {
  backend: BackendConfig;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  signal: CancelSignal;
}

/**
 * Defaults for long agent turns. Headers of a non-streamed answer come only once it is complete,
 * and a thinking model may reason for minutes first: 10 minutes (Claude Code's own API timeout).
 * Between chunks of a started answer: 5 minutes (Codex's stream idle timeout); the client gets
 * keep-alive pings meanwhile, so only a really stalled upstream is cut.
 */
export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;

export interface UpstreamTimeouts {
  /** Until the response headers arrived. */
  firstByteMs: number;
  /** Longest gap between body chunks. */
  idleMs: number;
}

export function upstreamTimeouts(backend: BackendConfig): UpstreamTimeouts {
  return {
    firstByteMs: backend.firstByteTimeoutMs ?? backend.timeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS,
    idleMs: backend.idleTimeoutMs ?? backend.timeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  };
}

export class UpstreamClient {
  private readonly agents = new UpstreamAgents();

  /** Transport failures are thrown as they came (the caller decides: retry, or `connectionError`). */
  send(call: UpstreamCall): Promise<UpstreamResponse> {
    const { firstByteMs, idleMs } = upstreamTimeouts(call.backend);
    return postUpstream(call.url, { headers: call.headers, body: JSON.stringify(call.body), signal: call.signal, firstByteMs, idleMs }, this.agents);
  }

  async close(): Promise<void> {
    this.agents.destroy();
  }
}

/** An ApiError for a transport failure talking to a backend, scrubbed of the key. */
export function connectionError(backend: BackendConfig, err: unknown, key: string | undefined, when: 'before' | 'during'): ApiError {
  const code = errorCode(err);
  const detail = redactSecrets(describe(err), [key]);
  const where = `backend "${backend.id}" (${upstreamHost(backend)})`;
  const timeouts = upstreamTimeouts(backend);
  // Which wait ran out, and the setting that bounds it (a slow model may need it raised).
  if (code === 'UPSTREAM_HEADERS_TIMEOUT') {
    return apiError('timeout', `${where} timed out: no answer within ${seconds(timeouts.firstByteMs)} (the backend's firstByteTimeoutMs)`);
  }
  if (code === 'UPSTREAM_BODY_TIMEOUT') {
    return apiError('timeout', `${where} timed out: nothing received for ${seconds(timeouts.idleMs)} in the middle of its answer (the backend's idleTimeoutMs)`);
  }
  if (code === 'UPSTREAM_CONNECT_TIMEOUT') return apiError('timeout', `${where} timed out: ${detail}`);
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

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
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
