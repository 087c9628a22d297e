/** URLs and headers of upstream calls, per backend format. */
import type { IncomingHttpHeaders } from 'node:http';
import type { BackendConfig } from '../../config/schema';

export type UpstreamOperation = 'chat' | 'count_tokens';

export function upstreamUrl(backend: BackendConfig, operation: UpstreamOperation): string {
  const base = backend.baseUrl.replace(/\/+$/, '');
  if (backend.format === 'openai') return `${base}/chat/completions`;
  return operation === 'count_tokens' ? `${base}/v1/messages/count_tokens` : `${base}/v1/messages`;
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

const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

/**
 * Headers for an upstream call: the backend's key (never the client's credentials),
 * `anthropic-*` headers from an Anthropic client, and the backend's extra headers.
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
  };
  if (backend.format === 'anthropic') {
    const version = clientHeaders['anthropic-version'];
    headers['anthropic-version'] = typeof version === 'string' && version ? version : DEFAULT_ANTHROPIC_VERSION;
    const beta = clientHeaders['anthropic-beta'];
    const betaValue = Array.isArray(beta) ? beta.join(',') : beta;
    if (betaValue) headers['anthropic-beta'] = betaValue;
    if (key !== undefined) headers['x-api-key'] = key;
  }
  if (key !== undefined) headers['authorization'] = `Bearer ${key}`;
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
