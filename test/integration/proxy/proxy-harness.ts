/**
 * Test harness: a real proxy on 127.0.0.1:0 in front of the fake upstreams, plus a raw HTTP
 * client that controls every header (Host and Origin included) and reads streams as they come.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createParser } from 'eventsource-parser';
import type { BackendConfig } from '../../../app/config/schema';
import { createProxyServer } from '../../../app/proxy/server';
import { BackendRegistry } from '../../../app/routing/backend-registry';
import { EnvKeySource } from '../../../app/vault/key-source';
import { startFakeMoonshot } from '../../fakes/fake-moonshot';
import { startFakeNim } from '../../fakes/fake-nim';
import type { FakeUpstream } from '../../fakes/scenario';

export const CLIENT_TOKEN = 'pb-client-test-token-0123456789';
export const ADMIN_TOKEN = 'pb-admin-test-token-0123456789ab';

export interface Harness {
  url: string;
  port: number;
  app: FastifyInstance;
  registry: BackendRegistry;
  nim: FakeUpstream;
  moonshot: FakeUpstream;
  close(): Promise<void>;
}

export interface HarnessOptions {
  active?: string;
  pingIntervalMs?: number;
  bodyLimitBytes?: number;
  /** Extra backends (keys: env vars in `env`). */
  extraBackends?: BackendConfig[] | ((fakes: { nim: FakeUpstream; moonshot: FakeUpstream }) => BackendConfig[]);
  env?: Record<string, string>;
  nimOverrides?: Partial<BackendConfig>;
  moonshotOverrides?: Partial<BackendConfig>;
  /** Make the fake NIM enforce a context window (prompt + max_tokens), as vLLM does. */
  nimContextWindow?: number;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const nim = await startFakeNim({ key: 'nvapi-SECRET-nim-key-0123456789', ...(opts.nimContextWindow !== undefined ? { contextWindow: opts.nimContextWindow } : {}) });
  const moonshot = await startFakeMoonshot({ key: 'sk-SECRET-moonshot-key-0123456789' });
  const backends: BackendConfig[] = [
    { id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:TEST_NIM_KEY', model: 'moonshotai/kimi-k2.6', kimi: true, fixedSampling: true, maxOutputTokens: 16384, ...opts.nimOverrides },
    { id: 'moonshot', format: 'anthropic', baseUrl: moonshot.url, apiKey: 'env:TEST_MOONSHOT_KEY', model: 'kimi-k2.6', smallModel: 'kimi-k2-turbo-preview', kimi: true, maxOutputTokens: 32000, ...opts.moonshotOverrides },
    ...(typeof opts.extraBackends === 'function' ? opts.extraBackends({ nim, moonshot }) : (opts.extraBackends ?? [])),
  ];
  const env = { TEST_NIM_KEY: nim.key, TEST_MOONSHOT_KEY: moonshot.key, ...opts.env };
  const active = opts.active ?? 'nim';
  const config = { active, backends, ...(opts.bodyLimitBytes !== undefined ? { bodyLimitBytes: opts.bodyLimitBytes } : {}) };
  const registry = new BackendRegistry(backends, active);
  const app = await createProxyServer({
    config,
    registry,
    keySource: new EnvKeySource(env),
    clientToken: CLIENT_TOKEN,
    adminToken: ADMIN_TOKEN,
    ...(opts.pingIntervalMs !== undefined ? { pingIntervalMs: opts.pingIntervalMs } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    app,
    registry,
    nim,
    moonshot,
    async close() {
      await app.close();
      await Promise.all([nim.close(), moonshot.close()]);
    },
  };
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw body text (overrides `body`). */
  raw?: string | Buffer;
}

export interface CallResult {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

function send(port: number, path: string, opts: CallOptions): Promise<IncomingMessage> {
  const payload = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...opts.headers };
  if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: opts.method ?? (payload === undefined ? 'GET' : 'POST'), headers, agent: false }, resolve);
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error('test request timed out')));
    req.end(payload);
  });
}

export async function call(h: Pick<Harness, 'port'>, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const res = await send(h.port, path, opts);
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return { status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** Opens a request and returns the live response (for hang-up and timing-free streaming tests). */
export function open(h: Pick<Harness, 'port'>, path: string, opts: CallOptions = {}): Promise<IncomingMessage> {
  return send(h.port, path, opts);
}

export interface SseEvent {
  event?: string;
  data: string;
}

export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e.event !== undefined ? { event: e.event, data: e.data } : { data: e.data }) });
  parser.feed(text);
  parser.feed('\n\n');
  return events;
}

export const anthropicAuth = { 'x-api-key': CLIENT_TOKEN, 'anthropic-version': '2023-06-01' };
export const openaiAuth = { authorization: `Bearer ${CLIENT_TOKEN}` };
export const adminAuth = { authorization: `Bearer ${ADMIN_TOKEN}` };

export function anthropicBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'hello' }], ...extra };
}

export function openaiBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }], ...extra };
}

/** Text of an Anthropic SSE stream's text deltas. */
export function anthropicStreamText(events: SseEvent[]): string {
  return events
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => (JSON.parse(e.data) as { delta: { text?: string } }).delta.text ?? '')
    .join('');
}

/** Text of an OpenAI SSE stream's content deltas. */
export function openaiStreamText(events: SseEvent[]): string {
  return events
    .filter((e) => e.data !== '[DONE]')
    .map((e) => (JSON.parse(e.data) as { choices?: Array<{ delta?: { content?: string | null } }> }).choices?.[0]?.delta?.content ?? '')
    .join('');
}

/** Waits for a condition, bounded. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
