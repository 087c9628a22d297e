/**
 * The `testBackend` command (`POST /api/backends/<id>/test`): try a backend with the cheapest
 * real request (one token) and say in plain words what is wrong: no key, bad key, wrong base URL, unknown model,
 * unreachable, rate limited. The key is never part of any message.
 */
import type { BackendConfig } from '../config/schema';
import { codecFor } from '../codecs/registry';
import { postUpstream, readText, UpstreamAgents } from '../proxy/upstream/http-post';
import { upstreamHeaders, upstreamUrl } from '../proxy/upstream/upstream-target';
import type { Diagnosis, VERDICTS } from './contract';

export type { Diagnosis } from './contract';
export type Verdict = (typeof VERDICTS)[number];

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  UPSTREAM_CONNECT_TIMEOUT: 'connection timed out',
  UPSTREAM_HEADERS_TIMEOUT: 'no answer in time',
  UPSTREAM_BODY_TIMEOUT: 'the answer stalled',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
};

/** The cheapest real request in the backend's format (its codec's probe), to the URL and headers a proxied call uses. */
function probeRequest(backend: BackendConfig, key: string | undefined): { url: string; headers: Record<string, string>; body: string } {
  return {
    url: upstreamUrl(backend, 'chat') as string,
    headers: upstreamHeaders(backend, key, {}),
    body: JSON.stringify(codecFor(backend.format).wire.probe.body(backend.model)),
  };
}

/** Upstream error wording, read by the backend format's own codec (Anthropic, OpenAI, NIM problem+json, text). */
function upstreamError(backend: BackendConfig, status: number, text: string, headers: Record<string, string | string[] | undefined>) {
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: the codec makes an excerpt */
  }
  return codecFor(backend.format).decodeError(status, parsed, headers);
}

function mentionsModel(message: string): boolean {
  return /model/i.test(message);
}

export async function diagnoseBackend(
  backend: BackendConfig,
  key: string | undefined,
  options: { timeoutMs?: number } = {},
): Promise<Diagnosis> {
  const scrub = (s: string) => (key ? s.split(key).join('[key]') : s);
  const base = { backend: backend.id };
  if (!key && backend.apiKey !== 'none') {
    const how = backend.apiKey.startsWith('env:')
      ? `set the environment variable ${backend.apiKey.slice(4)} where Patchbay runs`
      : `store one with PUT /api/backends/${backend.id}/key`;
    return { ...base, ok: false, verdict: 'no_key', message: `no key is set for "${backend.id}": ${how}` };
  }
  const probe = probeRequest(backend, key);
  const host = new URL(probe.url).host;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const started = performance.now();
  let status: number;
  let text: string;
  let headers: Record<string, string | string[] | undefined>;
  // Its own connections: a test says how the backend answers a fresh client, as an agent starting up meets it.
  const agents = new UpstreamAgents();
  try {
    const res = await postUpstream(
      probe.url,
      { headers: probe.headers, body: probe.body, firstByteMs: timeoutMs, idleMs: timeoutMs, signal: AbortSignal.timeout(timeoutMs) },
      agents,
    );
    status = res.statusCode;
    headers = res.headers;
    text = await readText(res);
  } catch (err) {
    const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    const name = (err as Error).name;
    const what = (code && NETWORK_WORDS[code]) ?? (name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${timeoutMs / 1000}s` : 'the connection failed');
    return {
      ...base,
      ok: false,
      verdict: 'unreachable',
      message: `could not reach ${host}: ${what}${code ? ` (${code})` : ''}; check the base URL and your network`,
    };
  } finally {
    agents.destroy();
  }
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const upstream = upstreamError(backend, status, text, headers);
  const said = scrub(upstream.message);
  const withStatus = { ...base, latencyMs, status };

  if (status >= 200 && status < 300) {
    let shaped: boolean;
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      shaped = codecFor(backend.format).wire.probe.looksLikeAnswer(body);
    } catch {
      shaped = false;
    }
    if (!shaped) {
      return {
        ...withStatus,
        ok: false,
        verdict: 'wrong_base_url',
        message: `${host} answered, but not in ${codecFor(backend.format).wire.title} format: check the base URL and the backend's format`,
      };
    }
    return { ...withStatus, ok: true, verdict: 'ok', message: `"${backend.id}" works: ${backend.model} answered in ${latencyMs} ms` };
  }
  if (status === 401 || status === 403) {
    return { ...withStatus, ok: false, verdict: 'bad_key', message: `${host} refused the key (HTTP ${status}: ${said}); set a valid key for "${backend.id}"` };
  }
  if (status === 429) {
    const retryAfterSeconds = upstream.retryAfterSeconds;
    return {
      ...withStatus,
      ok: false,
      verdict: 'rate_limited',
      message: `the key works but ${host} is rate limiting it (HTTP 429: ${said})${retryAfterSeconds !== undefined ? `; retry in ${retryAfterSeconds}s` : ''}`,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    };
  }
  if ((status === 404 || status === 400 || status === 422) && mentionsModel(said)) {
    return { ...withStatus, ok: false, verdict: 'unknown_model', message: `${host} does not serve the model "${backend.model}" (HTTP ${status}: ${said}); check the model id` };
  }
  if (status === 404 || status === 405) {
    const hint = codecFor(backend.format).wire.baseUrlHint;
    return { ...withStatus, ok: false, verdict: 'wrong_base_url', message: `nothing answers at ${new URL(probe.url).pathname} on ${host} (HTTP ${status}); ${hint}` };
  }
  return { ...withStatus, ok: false, verdict: 'upstream_error', message: `${host} answered HTTP ${status}: ${said}` };
}
