/**
 * Runs the real Codex CLI (node_modules/.bin/codex, offline) once against a loopback server whose
 * answers the test writes; a throw-away HOME/CODEX_HOME with a `wire_api = "responses"` provider.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CODEX = resolve(import.meta.dirname, '../../../node_modules/.bin/codex');
const TOKEN = 'pb-client-codex-test-token';

export type Handler = (body: unknown, res: ServerResponse, req: IncomingMessage) => void;

export interface CodexRun {
  code: number | null;
  out: string;
  /** The asked-for files the run left in its working directory (undefined when absent). */
  files: Record<string, string | undefined>;
}

export async function runCodex(prompt: string, handler: Handler, fileNames: string[] = [], timeoutMs = 100_000): Promise<CodexRun> {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (b: Buffer) => (raw += b.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/responses')) return void res.writeHead(404).end();
      handler(JSON.parse(raw) as unknown, res, req);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const home = mkdtempSync(join(tmpdir(), 'pb-codex-home-'));
  const work = mkdtempSync(join(tmpdir(), 'pb-codex-work-'));
  try {
    const { port } = server.address() as AddressInfo;
    const codexHome = join(home, '.codex');
    mkdirSync(codexHome);
    writeFileSync(
      join(codexHome, 'config.toml'),
      ['model = "kimi-k2.6"', 'model_provider = "patchbay"', '[model_providers.patchbay]', 'name = "Patchbay"', `base_url = "http://127.0.0.1:${port}/v1"`, 'env_key = "PATCHBAY_TOKEN"', 'wire_api = "responses"', ''].join('\n'),
    );
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CODEX_HOME: codexHome, PATCHBAY_TOKEN: TOKEN, NO_COLOR: '1', TERM: 'dumb' };
    const result = await new Promise<{ code: number | null; out: string }>((done) => {
      const child = spawn(CODEX, ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', prompt], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        done({ code, out });
      });
    });
    const files: Record<string, string | undefined> = {};
    for (const name of fileNames) files[name] = existsSync(join(work, name)) ? readFileSync(join(work, name), 'utf8') : undefined;
    return { ...result, files };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
