/** URLs and headers of upstream calls (each format's codec says its paths and auth headers). */
import type { IncomingHttpHeaders } from 'node:http';
import type { Operation } from '../../codecs/codec';
import { codecFor } from '../../codecs/registry';
import type { BackendConfig } from '../../config/schema';

/** The backend's URL for an operation; undefined when its format has no such operation. */
export function upstreamUrl(backend: BackendConfig, operation: Operation): string | undefined {
  const path = codecFor(backend.format).wire.upstreamPath(operation);
  return path === undefined ? undefined : backend.baseUrl.replace(/\/+$/, '') + path;
}

/** Host (and port) of the backend, safe to name in error messages. */
export function upstreamHost(backend: BackendConfig): string {
  try {
    return new URL(backend.baseUrl).host;
  } catch {
    return backend.baseUrl;
  }
}

export function isAnthropicFirstParty(backend: BackendConfig): boolean {
  try {
    return new URL(backend.baseUrl).hostname.toLowerCase() === 'api.anthropic.com';
  } catch {
    return false;
  }
}

/**
 * Headers for an upstream call: the backend's key as its format wants it (never the client's
 * credentials; Anthropic's version and beta headers come from an Anthropic client), and the
 * backend's extra headers.
 */
export function upstreamHeaders(
  backend: BackendConfig,
  key: string | undefined,
  clientHeaders: IncomingHttpHeaders,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'accept-encoding': 'identity',
    'user-agent': 'patchbay/0.1',
    ...codecFor(backend.format).wire.authHeaders(key, clientHeaders),
  };
  for (const [name, value] of Object.entries(backend.headers ?? {})) {
    const resolved = value.startsWith('env:') ? env[value.slice(4)] : value;
    if (resolved !== undefined) headers[name.toLowerCase()] = resolved;
  }
  return headers;
}

const RELAYED_RESPONSE_HEADER = /^(?:content-type|retry-after|request-id|x-request-id|anthropic-ratelimit-.*|x-ratelimit-.*|ratelimit-.*)$/i;

/** The upstream response headers worth passing to the client (content type, rate limits, ids). */
export function relayedResponseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !RELAYED_RESPONSE_HEADER.test(name)) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
