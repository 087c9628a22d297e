/**
 * Which HTTP statuses the real agent CLIs retry (results: docs/client-retries.md).
 *
 * For each client (Claude Code `claude -p`, OpenCode `opencode run`, Codex `codex exec` with a
 * custom `wire_api = "responses"` provider) and each status, a loopback server answers every
 * model request with that status and an error body in the client's own format carrying a
 * marker. It counts the requests, the time until the CLI exits, and whether the marker (the
 * message) was printed. Each run is capped (default 60 s, PB_RETRY_CAP_MS).
 *
 *   node --import tsx scripts/client-retries.ts [claude|opencode|codex ...] [--status 400,401]
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeAgentDirs, runClaude, runOpenCode } from '../test/helpers/agents';
import { runProcess } from '../test/helpers/run-process';
import { removeTempDirs } from '../test/helpers/temp-dirs';

type Client = 'claude' | 'opencode' | 'codex';
const ALL_CLIENTS: Client[] = ['claude', 'opencode', 'codex'];
const ALL_STATUSES = [400, 401, 403, 404, 409, 422, 500, 503];
const CAP_MS = Number(process.env.PB_RETRY_CAP_MS ?? 60_000);
const TOKEN = 'pb-retry-probe-0123456789';
const ROOT = join(import.meta.dirname, '..');

const ANTHROPIC_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'invalid_request_error',
  422: 'invalid_request_error',
  500: 'api_error',
  503: 'overloaded_error',
};

function marker(status: number): string {
  return `PBMARK${status} patchbay probe message`;
}

function errorBody(client: Client, status: number): string {
  if (client === 'claude') {
    return JSON.stringify({ type: 'error', error: { type: ANTHROPIC_TYPE[status], message: marker(status) } });
  }
  return JSON.stringify({ error: { message: marker(status), type: status < 500 ? 'invalid_request_error' : 'server_error', param: null, code: null } });
}

interface Probe {
  url: string;
  requests: Array<{ at: number; method: string; path: string; title: boolean }>;
  close(): Promise<void>;
}

async function startProbe(client: Client, status: number): Promise<Probe> {
  const requests: Probe['requests'] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (req.method === 'HEAD' || (req.method === 'GET' && !path.includes('models'))) {
        res.writeHead(200).end();
        return;
      }
      // OpenCode's title request carries no tools; it is not a retry.
      requests.push({ at: Date.now(), method: req.method ?? '', path, title: client === 'opencode' && !/"tools":\[\{/.test(body) });
      res.writeHead(status, { 'content-type': 'application/json' }).end(errorBody(client, status));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function runCodex(baseUrl: string, capMs: number): Promise<Awaited<ReturnType<typeof runProcess>>> {
  const dirs = makeAgentDirs();
  const codexHome = join(dirs.home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(
    join(codexHome, 'config.toml'),
    [
      'model = "probe-model"',
      'model_provider = "probe"',
      '[model_providers.probe]',
      'name = "probe"',
      `base_url = "${baseUrl}/v1"`,
      'env_key = "PB_PROBE_KEY"',
      'wire_api = "responses"',
      '',
    ].join('\n'),
  );
  try {
    return await runProcess(join(ROOT, 'node_modules', '.bin', 'codex'), ['exec', '--skip-git-repo-check', 'say hi'], {
      cwd: dirs.workdir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dirs.home, CODEX_HOME: codexHome, PB_PROBE_KEY: TOKEN, NO_COLOR: '1', TERM: 'dumb' },
      timeoutMs: capMs,
    });
  } finally {
    removeTempDirs(dirs.home, dirs.workdir);
  }
}

async function runClient(client: Client, url: string, capMs: number): Promise<Awaited<ReturnType<typeof runProcess>>> {
  if (client === 'codex') return runCodex(url, capMs);
  const dirs = makeAgentDirs();
  try {
    if (client === 'claude') return await runClaude({ prompt: 'say hi', baseUrl: url, token: TOKEN, model: 'probe-model', dirs, timeoutMs: capMs });
    return await runOpenCode({ prompt: 'say hi', baseUrl: `${url}/v1`, apiKey: TOKEN, model: 'probe-model', dirs, timeoutMs: capMs });
  } finally {
    removeTempDirs(dirs.home, dirs.workdir);
  }
}

export interface RetryResult {
  client: Client;
  status: number;
  requests: number;
  /** Of which title requests (OpenCode), not retries. */
  titleRequests: number;
  /** From the CLI's start to its first request (startup, load dependent), to its exit, and from the first request to the exit. */
  firstRequestSeconds: number;
  seconds: number;
  afterFirstRequestSeconds: number;
  exitCode: number | null;
  timedOut: boolean;
  messageShown: boolean;
}

export async function measure(client: Client, status: number, capMs = CAP_MS): Promise<RetryResult> {
  const probe = await startProbe(client, status);
  const started = Date.now();
  try {
    const run = await runClient(client, probe.url, capMs);
    const seconds = (Date.now() - started) / 1000;
    const first = probe.requests[0]?.at ?? Date.now();
    const tenths = (ms: number) => Math.round(ms / 100) / 10;
    return {
      client,
      status,
      requests: probe.requests.length,
      titleRequests: probe.requests.filter((r) => r.title).length,
      firstRequestSeconds: tenths(first - started),
      seconds: Math.round(seconds * 10) / 10,
      afterFirstRequestSeconds: tenths(Date.now() - first),
      exitCode: run.code,
      timedOut: run.timedOut,
      messageShown: `${run.stdout}\n${run.stderr}`.includes(`PBMARK${status}`),
    };
  } finally {
    await probe.close();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const statusArg = argv.indexOf('--status');
  const statuses = statusArg >= 0 ? (argv[statusArg + 1] ?? '').split(',').map(Number) : ALL_STATUSES;
  const picked = argv.filter((a, i) => ALL_CLIENTS.includes(a as Client) && i !== statusArg + 1) as Client[];
  const clients = picked.length ? picked : ALL_CLIENTS;
  console.log(`| client | status | requests (title) | first request at s | exit at s | exit after first request s | exit | message shown |`);
  console.log(`|---|---|---|---|---|---|---|---|`);
  for (const client of clients) {
    for (const status of statuses) {
      const r = await measure(client, status);
      const exit = r.timedOut ? `still retrying at ${CAP_MS / 1000} s cap` : String(r.exitCode);
      const title = r.titleRequests ? ` (${r.titleRequests})` : '';
      console.log(`| ${r.client} | ${r.status} | ${r.requests}${title} | ${r.firstRequestSeconds} | ${r.seconds} | ${r.afterFirstRequestSeconds} | ${exit} | ${r.messageShown ? 'yes' : 'no'} |`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
