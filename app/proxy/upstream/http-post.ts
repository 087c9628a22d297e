/**
 * One POST to an upstream over Node's own HTTP client (node:http / node:https with keep-alive
 * agents), and reading what comes back. undici did this before; its WebAssembly HTTP parser
 * and its modules held ~5 MB more RSS in `patchbay serve` after traffic (ADR 0011).
 *
 * Three waits are bounded, each failing with an error whose `code` names it:
 * - connecting (UPSTREAM_CONNECT_TIMEOUT, 10 s: an address that swallows packets would
 *   otherwise take the OS's ~2 minutes);
 * - the response headers (UPSTREAM_HEADERS_TIMEOUT, `firstByteMs`);
 * - the gap between two pieces of the body (UPSTREAM_BODY_TIMEOUT, `idleMs`).
 * An abort of `signal` destroys the request (and its body) at once.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { abortReason } from '../../limits/abort';
import type { CancelSignal } from '../../limits/cancellation';
import { utf8Pieces } from '../utf8-pieces';

export const CONNECT_TIMEOUT_MS = 10_000;
/** Idle keep-alive connections are closed after this long. */
const FREE_SOCKET_TIMEOUT_MS = 30_000;

export interface UpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The body as it arrives (a Readable of Buffers). */
  body: IncomingMessage;
}

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  signal?: CancelSignal;
  firstByteMs: number;
  idleMs: number;
}

/** Keep-alive agents for plain and TLS upstreams (one pair per proxy server). */
export class UpstreamAgents {
  readonly http = new HttpAgent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS });
  readonly https = new HttpsAgent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS });

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

export class UpstreamTimeoutError extends Error {
  constructor(
    readonly code: 'UPSTREAM_CONNECT_TIMEOUT' | 'UPSTREAM_HEADERS_TIMEOUT' | 'UPSTREAM_BODY_TIMEOUT',
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamTimeoutError';
  }
}

/** Where a URL points, as node:http wants it; parsed once per distinct URL (a handful of backends). */
interface Endpoint {
  tls: boolean;
  protocol: string;
  hostname: string;
  port: string;
  path: string;
}

const endpoints = new Map<string, Endpoint>();
const MAX_ENDPOINTS = 64;

function endpointOf(url: string): Endpoint {
  let endpoint = endpoints.get(url);
  if (endpoint === undefined) {
    const target = new URL(url);
    endpoint = {
      tls: target.protocol === 'https:',
      protocol: target.protocol,
      // node:http wants an IPv6 literal without its brackets.
      hostname: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port,
      path: `${target.pathname}${target.search}`,
    };
    if (endpoints.size >= MAX_ENDPOINTS) endpoints.clear();
    endpoints.set(url, endpoint);
  }
  return endpoint;
}

/** What an abort of the request's signal destroys it with (as node:http's own `signal` option does). */
function abortError(signal: CancelSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: abortReason(signal) }), { name: 'AbortError', code: 'ABORT_ERR' });
}

export function postUpstream(url: string, options: PostOptions, agents: UpstreamAgents): Promise<UpstreamResponse> {
  const { tls, protocol, hostname, port, path } = endpointOf(url);
  const { signal } = options;
  return new Promise<UpstreamResponse>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    // The body as bytes, made once: their length is the header, and the bytes go out as they are.
    // Given the string, node:http would measure it, join it to the headers and convert the
    // join again to write it: on a large JSON.stringify result (a rope V8 must flatten first)
    // that was three copies of the body per call. In pieces, so no block is large (utf8-pieces.ts).
    const pieces = utf8Pieces(options.body);
    let length = 0;
    for (const piece of pieces) length += piece.length;
    const req = (tls ? httpsRequest : httpRequest)({
      protocol,
      hostname,
      ...(port ? { port } : {}),
      path,
      method: 'POST',
      headers: { ...options.headers, 'content-length': String(length) },
      agent: tls ? agents.https : agents.http,
    });
    // One listener, gone with the request (node:http's `signal` option costs a stream watcher per call).
    if (signal) {
      const onAbort = (): void => {
        req.destroy(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    const headersTimer = setTimeout(
      () => req.destroy(new UpstreamTimeoutError('UPSTREAM_HEADERS_TIMEOUT', `no response headers within ${options.firstByteMs} ms`)),
      options.firstByteMs,
    );
    req.once('socket', (socket: Socket) => {
      if (!socket.connecting) return;
      const connectTimer = setTimeout(
        () => req.destroy(new UpstreamTimeoutError('UPSTREAM_CONNECT_TIMEOUT', `could not connect within ${CONNECT_TIMEOUT_MS} ms`)),
        CONNECT_TIMEOUT_MS,
      );
      socket.once('connect', () => clearTimeout(connectTimer));
      req.once('close', () => clearTimeout(connectTimer));
    });
    req.once('error', (err) => {
      clearTimeout(headersTimer);
      reject(err);
    });
    req.once('response', (res) => {
      clearTimeout(headersTimer);
      watchIdle(res, options.idleMs);
      resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res });
    });
    for (let i = 0; i < pieces.length - 1; i++) req.write(pieces[i]);
    req.end(pieces[pieces.length - 1]);
  });
}

/**
 * Cuts a body that stays silent for `idleMs`. Arrival is seen on the socket (a listener on the
 * body itself would start it flowing before its reader is there).
 */
function watchIdle(res: IncomingMessage, idleMs: number): void {
  const socket = res.socket;
  const timer = setTimeout(() => res.destroy(new UpstreamTimeoutError('UPSTREAM_BODY_TIMEOUT', `nothing received for ${idleMs} ms`)), idleMs);
  const arrived = (): void => {
    timer.refresh();
  };
  socket?.on('data', arrived);
  const stop = (): void => {
    clearTimeout(timer);
    socket?.off('data', arrived);
  };
  res.once('end', stop);
  res.once('close', stop);
}

/**
 * An upstream body as text, chunk by chunk (UTF-8 characters never cut). Readable's own
 * iterator destroys the body at its end even when it ended normally, building an AbortError
 * (stack and all) per response: here the body is destroyed only when the reader stops early.
 */
export async function* textChunks(response: UpstreamResponse): AsyncGenerator<string> {
  const body = response.body;
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of body.iterator({ destroyOnReturn: false })) {
      const text = decoder.decode(chunk as Uint8Array, { stream: true });
      if (text) yield text;
    }
  } finally {
    if (!body.readableEnded) body.destroy();
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The whole body as text. */
export async function readText(response: UpstreamResponse): Promise<string> {
  let text = '';
  for await (const chunk of textChunks(response)) text += chunk;
  return text;
}
