/**
 * A fake of Patchbay's admin HTTP host for the UI's browser tests: serves the built UI
 * (dist/ui) at `/` and the admin API of app/api/contract.ts at the paths of README.md's admin
 * table (app/admin/http-host.ts), from in-memory state, with SSE events on /api/events
 * (`event: <name>` + JSON data, as app/admin/event-routes.ts sends them). Results are checked
 * against the contract's schemas before they are sent, so the fake cannot drift from it.
 * `traffic()` plays requests through the log (started -> finished) with live stats.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { COMMANDS } from '../../app/api/contract';
import type { AdminEvent, BackendView, CommandName, RequestEntry, RequestSummary, State } from '../../app/api/contract';

export const UI_DIR = resolve(import.meta.dirname, '../../dist/ui');

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

function view(id: string, over: Partial<BackendView> = {}): BackendView {
  return { id, format: 'openai', baseUrl: 'https://example.invalid/v1', apiKey: 'keychain', model: 'kimi-k2.6', key: { set: true, last4: '3f9a', source: 'keychain' }, quirksInForce: 'kimi', ...over };
}

export interface FakeAdminHost {
  url: string;
  server: Server;
  state: State;
  /** Requests the UI made, as `METHOD /path`. */
  seen: string[];
  /** Add finished rows to the log at once (oldest first), no events. */
  seedRows(count: number): void;
  rowCount(): number;
  /** Play `count` requests: started, then finished after `durationMs`; stats follow. */
  traffic(count: number, options?: { durationMs?: number; status?: number }): Promise<void>;
  emit(event: AdminEvent): void;
  close(): Promise<void>;
}

export async function startFakeAdminHost(): Promise<FakeAdminHost> {
  const state: State = {
    active: 'nim',
    backends: [
      view('nim', { name: 'NIM', baseUrl: 'https://integrate.api.nvidia.com/v1', model: 'moonshotai/kimi-k2.6', rpm: 40, apiKey: 'env:NVIDIA_API_KEY', key: { set: true, last4: 'x9Qe', source: 'env:NVIDIA_API_KEY' }, overflowTo: 'moonshot' }),
      view('moonshot', { name: 'Moonshot', format: 'anthropic', baseUrl: 'https://api.moonshot.ai/anthropic', contextWindow: 262144 }),
      view('openrouter', { name: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', model: 'moonshotai/kimi-k2', key: { set: false, source: 'keychain' }, quirksInForce: 'kimi' }),
    ],
    failover: ['moonshot'],
    paused: false,
    stats: { time: new Date().toISOString(), backends: [] },
    requestLog: { skippedLines: 0, interrupted: 0, writeErrors: 0, dropped: 0, failing: null, inFlight: 0, keepBodies: true },
  };
  const live = new Map(state.backends.map((b) => [b.id, { backend: b.id, requestsLastMinute: 0, rpmLimit: b.rpm ?? null, learnedRpm: null as number | null, inFlight: 0, queued: 0, requests: 0, rateLimited: 0, rateLimitedLastMinute: 0, retries: 0, overflows: 0, errors: 0, keyRejected: null, consecutiveFailures: 0, failovers: 0, failedOverTo: null as string | null, lastOverflowTo: null as string | null, tokens: { input: 0, output: 0, cached: 0 }, upstreamQuota: null }]));
  const rows: RequestSummary[] = []; // oldest first
  const streams = new Set<ServerResponse>();
  const seen: string[] = [];
  let seq = 0;

  const snapshot = () => ({ time: new Date().toISOString(), backends: [...live.values()].map((b) => ({ ...b, tokens: { ...b.tokens } })) });
  const currentState = (): State => ({ ...state, stats: snapshot() });
  const emit = (event: AdminEvent) => {
    const frame = `event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
    for (const s of streams) s.write(frame);
  };

  const newRow = (over: Partial<RequestSummary> = {}): RequestSummary => {
    seq += 1;
    const agents = ['claude-code', 'codex', 'opencode'];
    return {
      id: `req_${String(seq).padStart(6, '0')}`,
      time: new Date().toISOString(),
      agent: agents[seq % 3]!,
      inboundFormat: 'anthropic',
      path: '/v1/messages',
      backend: state.active,
      modelRequested: 'claude-sonnet-4-5',
      modelUsed: state.backends.find((b) => b.id === state.active)?.model ?? 'kimi-k2.6',
      status: 200,
      latencyMs: 800 + ((seq * 137) % 4000),
      ttftMs: 200 + ((seq * 53) % 900),
      tokens: { input: 900 + ((seq * 31) % 9000), output: 40 + ((seq * 17) % 800), cached: (seq * 29) % 12000 },
      streamed: true,
      retries: seq % 11 === 0 ? 2 : 0,
      queueWaitMs: seq % 11 === 0 ? 1800 : 0,
      bytesIn: 4000,
      bytesOut: 9000,
      hasBodies: true,
      ...over,
    };
  };

  function entry(row: RequestSummary): RequestEntry {
    const { hasBodies: _h, ...rest } = row;
    const request = JSON.stringify({ model: row.modelRequested, max_tokens: 1024, stream: true, messages: [{ role: 'user', content: 'List the files.' }] });
    return {
      ...rest,
      bodies: {
        request: { text: request, truncated: false, originalLength: request.length },
        upstreamRequest: { text: request.replace(String(row.modelRequested), String(row.modelUsed)), truncated: false, originalLength: request.length },
        response: { text: 'event: message_start\ndata: {"type":"message_start"}\n\n', truncated: false, originalLength: 52 },
      },
    };
  }

  const commands: { [C in CommandName]?: (input: Record<string, unknown>, params: Record<string, string>) => unknown } = {
    getState: () => currentState(),
    setActive: (input) => {
      const id = String(input.backend);
      if (!state.backends.some((b) => b.id === id)) throw apiError(404, 'not_found', `no backend "${id}"`);
      state.active = id;
      const s = currentState();
      emit({ type: 'stateChanged', data: s });
      return s;
    },
    setPaused: (input) => {
      state.paused = input.paused === true;
      const s = currentState();
      emit({ type: 'stateChanged', data: s });
      return s;
    },
    listPresets: () => ({ presets: [{ id: 'moonshot', name: 'Moonshot (Anthropic)', format: 'anthropic', apiKey: 'env:MOONSHOT_API_KEY', baseUrl: 'https://api.moonshot.ai/anthropic', model: 'kimi-k2.6' }, { id: 'nim', name: 'NVIDIA NIM', format: 'openai', apiKey: 'env:NVIDIA_API_KEY', baseUrl: 'https://integrate.api.nvidia.com/v1', model: 'moonshotai/kimi-k2.6', rpm: 40 }] }),
    addBackend: (input) => {
      const id = String(input.id ?? '');
      if (!/^[a-z0-9._-]+$/.test(id)) throw apiError(400, 'invalid_request', 'id: use a-z 0-9 . _ -', 'id');
      if (state.backends.some((b) => b.id === id)) throw apiError(409, 'conflict', `backend "${id}" exists`, 'id');
      const b = view(id, { ...(input as Partial<BackendView>), key: { set: false, source: 'keychain' } });
      delete (b as Record<string, unknown>).preset;
      state.backends.push(b);
      live.set(id, { ...live.get('moonshot')!, backend: id, rpmLimit: b.rpm ?? null, requests: 0 });
      return b;
    },
    editBackend: (input, params) => {
      const b = state.backends.find((x) => x.id === params.id);
      if (!b) throw apiError(404, 'not_found', `no backend "${params.id}"`);
      Object.assign(b, input);
      return b;
    },
    removeBackend: (_input, params) => {
      if (params.id === state.active) throw apiError(409, 'conflict', `"${params.id}" is the active backend: switch first`);
      state.backends = state.backends.filter((b) => b.id !== params.id);
      return { deleted: params.id! };
    },
    setFailover: (input) => ((state.failover = input.backends as string[]), { failover: state.failover }),
    setKey: (input, params) => {
      const b = state.backends.find((x) => x.id === params.id)!;
      const key = String(input.key);
      const switchedFrom = b.apiKey.startsWith('env:') ? b.apiKey : undefined;
      b.apiKey = 'keychain';
      b.key = { set: true, last4: key.slice(-4), source: 'keychain' };
      return { backend: b.id, set: true, last4: key.slice(-4), source: 'keychain', ...(switchedFrom ? { switchedFrom } : {}) };
    },
    deleteKey: (_input, params) => {
      const b = state.backends.find((x) => x.id === params.id)!;
      b.key = { set: false, source: 'keychain' };
      return { backend: b.id, set: false };
    },
    testBackend: (_input, params) => {
      const b = state.backends.find((x) => x.id === params.id)!;
      return b.key.set
        ? { backend: b.id, ok: true, verdict: 'ok', message: `"${b.id}" answered with model ${b.model}`, latencyMs: 412, status: 200 }
        : { backend: b.id, ok: false, verdict: 'no_key', message: `no key is set for "${b.id}": store one with PUT /api/backends/${b.id}/key` };
    },
    listRequests: (input) => {
      const limit = Number(input.limit ?? 50);
      const start = input.cursor ? rows.findIndex((r) => r.id === input.cursor) : rows.length;
      const from = Math.max(0, start - limit);
      const items = rows.slice(from, start).reverse();
      return { items, nextCursor: from > 0 ? rows[from]!.id : null };
    },
    getRequest: (_input, params) => {
      const row = rows.find((r) => r.id === params.id);
      if (!row) throw apiError(404, 'not_found', `no request "${params.id}"`);
      return entry(row);
    },
    listAgents: () => ({
      agents: [
        { id: 'claude-code', name: 'Claude Code', warnings: [], written: null, needsRewrite: false, snippets: [{ kind: 'env', language: 'sh', title: 'Shell', text: "export ANTHROPIC_BASE_URL='http://127.0.0.1:7420'\nexport ANTHROPIC_AUTH_TOKEN='pb-client-…'" }, { kind: 'file', language: 'json', title: '~/.claude/settings.json', target: '.claude/settings.json', text: '{\n  "env": {\n    "ANTHROPIC_BASE_URL": "http://127.0.0.1:7420"\n  }\n}' }] },
        { id: 'codex', name: 'Codex CLI', warnings: ['OPENAI_BASE_URL is set in the shell that started Patchbay: Codex would use it instead'], written: { at: new Date().toISOString(), files: ['.codex/config.toml'] }, needsRewrite: true, snippets: [{ kind: 'file', language: 'toml', title: '~/.codex/config.toml', target: '.codex/config.toml', text: 'model_provider = "patchbay"\n\n[model_providers.patchbay]\nname = "Patchbay"\nbase_url = "http://127.0.0.1:7420/v1"\nenv_key = "PATCHBAY_TOKEN"\nwire_api = "responses"' }] },
      ],
    }),
    previewAgent: () => ({ files: [{ target: '.claude/settings.json', path: '/home/u/.claude/settings.json', exists: true, changed: true, diff: '--- a/settings.json\n+++ b/settings.json\n@@ -1,3 +1,6 @@\n {\n+  "env": {\n+    "ANTHROPIC_BASE_URL": "http://127.0.0.1:7420"\n+  },\n   "theme": "dark"\n }' }] }),
    writeAgent: () => ({ files: [{ target: '.claude/settings.json', path: '/home/u/.claude/settings.json', changed: true, backup: '/home/u/.patchbay/backups/settings.json.1', sha256: 'ab'.repeat(32) }], warnings: [] }),
    restoreAgent: () => ({ files: [{ target: '.claude/settings.json', path: '/home/u/.claude/settings.json', restoredFrom: '/home/u/.patchbay/backups/settings.json.1' }] }),
    getClaudeCodeEnv: () => ({ text: "export ANTHROPIC_BASE_URL='http://127.0.0.1:7420'\nexport ANTHROPIC_AUTH_TOKEN='pb-client-test'" }),
  };

  const routes: Array<[string, RegExp, CommandName]> = [
    ['GET', /^\/api\/state$/, 'getState'],
    ['PUT', /^\/api\/active$/, 'setActive'],
    ['PUT', /^\/api\/paused$/, 'setPaused'],
    ['GET', /^\/api\/presets$/, 'listPresets'],
    ['POST', /^\/api\/backends$/, 'addBackend'],
    ['PATCH', /^\/api\/backends\/(?<id>[^/]+)$/, 'editBackend'],
    ['DELETE', /^\/api\/backends\/(?<id>[^/]+)$/, 'removeBackend'],
    ['PUT', /^\/api\/failover$/, 'setFailover'],
    ['PUT', /^\/api\/backends\/(?<id>[^/]+)\/key$/, 'setKey'],
    ['DELETE', /^\/api\/backends\/(?<id>[^/]+)\/key$/, 'deleteKey'],
    ['POST', /^\/api\/backends\/(?<id>[^/]+)\/test$/, 'testBackend'],
    ['GET', /^\/api\/requests$/, 'listRequests'],
    ['GET', /^\/api\/requests\/(?<id>[^/]+)$/, 'getRequest'],
    ['GET', /^\/api\/agents$/, 'listAgents'],
    ['POST', /^\/api\/agents\/(?<id>[^/]+)\/preview$/, 'previewAgent'],
    ['POST', /^\/api\/agents\/(?<id>[^/]+)\/write$/, 'writeAgent'],
    ['POST', /^\/api\/agents\/(?<id>[^/]+)\/restore$/, 'restoreAgent'],
    ['GET', /^\/api\/claude-code-env$/, 'getClaudeCodeEnv'],
  ];

  async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  function serveFile(res: ServerResponse, path: string): void {
    const file = normalize(join(UI_DIR, path === '/' ? 'index.html' : path));
    if (!file.startsWith(UI_DIR) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(`${req.method} ${url.pathname}`);
    if (!url.pathname.startsWith('/api/')) return serveFile(res, url.pathname);
    if (url.pathname === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('retry: 1000\n\n');
      res.write(`event: stats\ndata: ${JSON.stringify(snapshot())}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const route = routes.find(([m, re]) => m === req.method && re.test(url.pathname));
    if (!route) return void res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: `no route ${req.method} ${url.pathname}` } }));
    const params = (url.pathname.match(route[1])?.groups ?? {}) as Record<string, string>;
    if (params.id) params.id = decodeURIComponent(params.id);
    void (async () => {
      try {
        const input = req.method === 'GET' ? Object.fromEntries(url.searchParams) : await readJson(req);
        const result = COMMANDS[route[2]].result.parse(commands[route[2]]!(input, params));
        res.writeHead(route[2] === 'addBackend' ? 201 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      } catch (e) {
        const err = e as { status?: number; body?: unknown; message?: string };
        res.writeHead(err.status ?? 500, { 'content-type': 'application/json' }).end(JSON.stringify(err.body ?? { error: { code: 'internal', message: String(err.message) } }));
      }
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    server,
    state,
    seen,
    seedRows(count) {
      const t0 = Date.now() - count * 2000;
      for (let i = 0; i < count; i++) {
        const r = newRow({ time: new Date(t0 + i * 2000).toISOString() });
        if (i % 37 === 5) Object.assign(r, { status: 429, error: 'rate limited by the upstream (429): retry after 2 s', tokens: { input: 0, output: 0, cached: 0 }, ttftMs: undefined });
        if (i % 53 === 7) Object.assign(r, { status: 502, error: 'upstream closed the connection before answering', tokens: { input: 0, output: 0, cached: 0 }, ttftMs: undefined });
        rows.push(r);
      }
    },
    rowCount: () => rows.length,
    async traffic(count, { durationMs = 300, status = 200 } = {}) {
      for (let i = 0; i < count; i++) {
        const b = live.get(state.active)!;
        const started = newRow({ status: 0, inFlight: true, latencyMs: 0, tokens: { input: 0, output: 0, cached: 0 } });
        delete (started as Partial<RequestSummary>).ttftMs;
        rows.push(started);
        b.inFlight += 1;
        b.requests += 1;
        b.requestsLastMinute += 1;
        emit({ type: 'requestStarted', data: started });
        emit({ type: 'stats', data: snapshot() });
        await new Promise((r) => setTimeout(r, durationMs));
        const finished = newRow({ id: started.id, time: started.time, status });
        seq -= 1;
        rows[rows.findIndex((r) => r.id === started.id)] = finished;
        b.inFlight -= 1;
        if (status === 429) b.rateLimited += 1;
        b.tokens.input += finished.tokens.input;
        b.tokens.output += finished.tokens.output;
        b.tokens.cached += finished.tokens.cached;
        emit({ type: 'requestFinished', data: finished });
        emit({ type: 'stats', data: snapshot() });
      }
    },
    emit,
    async close() {
      for (const s of streams) s.end();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function apiError(status: number, code: string, message: string, field?: string) {
  return Object.assign(new Error(message), { status, body: { error: { code, message, ...(field ? { field } : {}) } } });
}
