/**
 * claude-code-router (@musistudio/claude-code-router 2.0.0, the devDependency) as the peer:
 * `ccr start` runs its server in the foreground. Its config is read from
 * `$HOME/.claude-code-router/config.json`, so HOME is a temp dir; it gets one provider whose
 * `api_base_url` is the fake upstream's chat-completions URL, `Router.default = "fake,fake-model"`,
 * an APIKEY (clients send it as x-api-key or Bearer), a free loopback PORT and LOG off.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnProxy, type ProxyProcess } from './proxy-process';

export const CCR_CLIENT_TOKEN = 'bench-ccr-token-0123456789abcdef';
export const CCR_CLI = 'node_modules/@musistudio/claude-code-router/dist/cli.js';

export interface RunningPeer {
  process: ProxyProcess;
  origin: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once('error', () => resolveConnect(false));
  });
}

export async function startClaudeCodeRouter(repoRoot: string, upstreamUrl: string): Promise<RunningPeer> {
  const cli = resolve(repoRoot, CCR_CLI);
  if (!existsSync(cli)) throw new Error(`${CCR_CLI} not found (is the devDependency installed?)`);
  const home = await mkdtemp(join(tmpdir(), 'ccr-bench-home-'));
  const port = await freePort();
  await mkdir(join(home, '.claude-code-router'), { recursive: true });
  const config = {
    LOG: false,
    HOST: '127.0.0.1',
    PORT: port,
    APIKEY: CCR_CLIENT_TOKEN,
    Providers: [{ name: 'fake', api_base_url: `${upstreamUrl}/v1/chat/completions`, api_key: 'bench-upstream-key', models: ['fake-model'] }],
    Router: { default: 'fake,fake-model' },
  };
  await writeFile(join(home, '.claude-code-router', 'config.json'), JSON.stringify(config, null, 2));

  let proc: ProxyProcess;
  try {
    proc = await spawnProxy({
      name: 'claude-code-router',
      cwd: home,
      nodeArgs: [cli, 'start'],
      env: { ...process.env, HOME: home, NODE_ENV: 'production' },
      ready: (out) => out.includes('Loaded JSON config'),
      readyTimeoutMs: 30_000,
    });
    // It prints the config line before listening: wait for the port (bounded).
    let up = false;
    for (let i = 0; i < 200 && !up; i++) {
      up = await canConnect(port);
      if (!up) await new Promise((r) => setTimeout(r, 100));
    }
    if (!up) {
      await proc.stop();
      throw new Error(`claude-code-router did not listen on port ${port} within 20 s; output:\n${proc.output().slice(-2000)}`);
    }
  } catch (err) {
    await rm(home, { recursive: true, force: true });
    throw err;
  }
  return {
    process: proc,
    origin: `http://127.0.0.1:${port}`,
    async stop() {
      await proc.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
