/**
 * Decides whether a failed upstream attempt is tried again and after how long.
 * Retryable: 429, 529, 500, 502, 503, 504 and connection failures, and only while no byte
 * has reached the client. Backoff is exponential with full jitter, never shorter than what
 * the upstream's retry-after / reset headers ask for, bounded by a max attempts count and a
 * total time budget (deadline). A 429 has no backoff of its own: the request goes back to the
 * head of its backend's queue, which the limiter paces (after what retry-after asks); bare 429s
 * (`decideRateLimited`) have their own attempt count.
 */
import { parseRateLimitHeaders, rateLimitWaitMs, type HeaderBag } from './rate-limit-headers';

export interface AttemptFailure {
  /** HTTP status when the upstream answered. */
  status?: number;
  headers?: HeaderBag;
  /** Thrown or reported error (connection failures, timeouts, or the caller's own error object). */
  error?: unknown;
  /**
   * False when the attempt must not be repeated whatever its status, above all because bytes
   * already reached the client. True or absent: the policy decides from status and error.
   */
  retryable?: boolean;
}

/** Why a failure is worth trying elsewhere: the backend is rate limiting, or it is down. */
export type FailureClass = 'rate_limited' | 'down' | 'fatal';

export type RetryStopReason =
  | 'not_retryable' // status or error that retrying cannot fix (400, 401, ...)
  | 'client_received_bytes' // the caller marked it non-retryable
  | 'max_attempts'
  | 'deadline'; // the next try would start after the time budget

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: RetryStopReason };

export interface RetryPolicyOptions {
  /** First backoff ceiling (500 ms); doubles per attempt. */
  baseDelayMs?: number;
  /** Largest backoff ceiling (20 s). Headers may ask for longer; they win. */
  maxDelayMs?: number;
  /** Attempts per backend, the first included (4). */
  maxAttempts?: number;
  /**
   * Attempts per backend that may end in a bare 429 (no retry-after, no reset): the limiter
   * learns from those and may probe a closed upstream window a few times with the same request.
   * Default: 3 x maxAttempts, or 1 when maxAttempts is 1 (try once means once).
   */
  maxRateLimitedAttempts?: number;
  /** Total time budget from the first attempt (90 s): no try may start after it. */
  deadlineMs?: number;
  /** Uniform in [0, 1); injectable for tests. */
  random?: () => number;
}

export interface RetryContext {
  /** 1 for the first attempt. */
  attemptNo: number;
  /** When the first attempt started, epoch ms. */
  startedAt: number;
  now: number;
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504, 529]);

/** Error codes of connection failures and timeouts (Node net/dns, Patchbay's upstream client, undici). */
export const CONNECTION_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UPSTREAM_CONNECT_TIMEOUT',
  'UPSTREAM_HEADERS_TIMEOUT',
  'UPSTREAM_BODY_TIMEOUT',
]);

/** True for connection refused/reset, socket closed and timeouts, looking through `cause` chains (fetch wraps them). */
export function isConnectionError(error: unknown): boolean {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (typeof e !== 'object') return false;
    const { code, name, cause } = e as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
    if (name === 'TimeoutError' || name === 'ConnectTimeoutError' || name === 'SocketError') return true;
    e = cause;
  }
  return false;
}

export function classifyFailure(failure: AttemptFailure): FailureClass {
  const { status } = failure;
  if (status === 429) return 'rate_limited';
  if (status !== undefined) return RETRYABLE_STATUSES.has(status) ? 'down' : 'fatal';
  return isConnectionError(failure.error) ? 'down' : 'fatal';
}

export class RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
  readonly maxRateLimitedAttempts: number;
  readonly deadlineMs: number;
  private readonly random: () => number;

  constructor(options: RetryPolicyOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 20_000;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.maxRateLimitedAttempts = options.maxRateLimitedAttempts ?? (this.maxAttempts === 1 ? 1 : 3 * this.maxAttempts);
    this.deadlineMs = options.deadlineMs ?? 90_000;
    this.random = options.random ?? Math.random;
  }

  decide(failure: AttemptFailure, ctx: RetryContext): RetryDecision {
    if (failure.retryable === false) return { retry: false, reason: 'client_received_bytes' };
    if (classifyFailure(failure) === 'fatal') return { retry: false, reason: 'not_retryable' };
    if (ctx.attemptNo >= this.maxAttempts) return { retry: false, reason: 'max_attempts' };
    const delayMs = Math.max(this.backoffMs(ctx.attemptNo), this.headerWaitMs(failure, ctx.now) ?? 0);
    if (ctx.now + delayMs > ctx.startedAt + this.deadlineMs) return { retry: false, reason: 'deadline' };
    return { retry: true, delayMs };
  }

  /**
   * For a bare 429 (`rateLimitedNo`: the bare 429s on this backend so far, this one included):
   * whether it goes back to the queue. No backoff of its own: the limiter paces it.
   */
  decideRateLimited(failure: AttemptFailure, ctx: RetryContext & { rateLimitedNo: number }): RetryDecision {
    if (failure.retryable === false) return { retry: false, reason: 'client_received_bytes' };
    if (ctx.rateLimitedNo >= this.maxRateLimitedAttempts) return { retry: false, reason: 'max_attempts' };
    const delayMs = this.headerWaitMs(failure, ctx.now) ?? 0;
    if (ctx.now + delayMs > ctx.startedAt + this.deadlineMs) return { retry: false, reason: 'deadline' };
    return { retry: true, delayMs };
  }

  /** Full jitter: uniform in [0, min(max, base * 2^(attemptNo-1))). */
  backoffMs(attemptNo: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, attemptNo - 1));
    return Math.floor(this.random() * ceiling);
  }

  /** What the failure's headers ask for (retry-after, or the reset when nothing remains). */
  headerWaitMs(failure: AttemptFailure, now: number): number | undefined {
    return failure.headers ? rateLimitWaitMs(parseRateLimitHeaders(failure.headers, now), now) : undefined;
  }
}
