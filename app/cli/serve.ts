/** `patchbay serve`: the headless proxy, in the foreground. */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { ServeOptions } from './args';
import { ConfigError, requireConfigFile } from '../config/load';
import type { PatchbayConfig } from '../config/schema';
import { quirksNameFor } from '../quirks/index';
import { startEngine } from '../runtime/engine';
import { claudeCodeShellExports } from '../agents/claude-code-env';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PATCHBAY_DATA_DIR ?? resolve(homedir(), '.patchbay');
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

function logLevelFrom(value: string | undefined): LogLevel {
  if (value === undefined || value === '') return 'warn';
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  console.error(`patchbay: PATCHBAY_LOG_LEVEL="${value}" is not one of ${LOG_LEVELS.join(', ')}; using warn`);
  return 'warn';
}

/** Backends whose `env:` key is not set: said at start, so a 401 later is no surprise. */
function missingEnvKeys(config: PatchbayConfig, env: NodeJS.ProcessEnv): string[] {
  return config.backends
    .filter((b) => b.apiKey.startsWith('env:') && !env[b.apiKey.slice(4)])
    .map((b) => `backend "${b.id}": ${b.apiKey.slice(4)} is not set; requests routed to it will fail until it is`);
}

export async function runServe(options: ServeOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const dataDir = resolve(options.dataDir ?? defaultDataDir(env));
  let engine;
  try {
    if (options.config && !options.init) await requireConfigFile(resolve(options.config));
    engine = await startEngine({
      dataDir,
      env,
      ...(options.config ? { configPath: resolve(options.config) } : {}),
      ...(env.PATCHBAY_KEYCHAIN_SERVICE ? { keychainService: env.PATCHBAY_KEYCHAIN_SERVICE } : {}),
      // Proxy failures and upstream trouble are reported on stdout as JSON lines (never keys).
      logLevel: logLevelFrom(env.PATCHBAY_LOG_LEVEL),
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`patchbay: ${err.message}`);
      return 2;
    }
    throw err;
  }
  let url: string;
  try {
    url = await engine.listen(options.host, options.port);
  } catch (err) {
    await engine.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      console.error(`patchbay: port ${options.port} on ${options.host} is in use; pick another with --port (0 = any free port)`);
      return 1;
    }
    throw err;
  }

  const config = engine.store.config;
  for (const warning of [...engine.warnings, ...missingEnvKeys(config, env)]) console.error(`patchbay: warning: ${warning}`);
  const clientToken = engine.clientToken();
  const active = engine.registry.active;
  const agentInput = { baseUrl: url, clientToken, models: { main: active.model, small: active.smallModel ?? active.model } };
  // One write, so whoever reads the first line (a script, a test) has the whole banner.
  process.stdout.write(
    [
      `Patchbay listening on ${url}`,
      `Active backend: ${engine.registry.active.id} (${engine.registry.active.model}, quirks: ${quirksNameFor(engine.registry.active)})`,
      `Config: ${engine.store.path}`,
      `Data dir: ${dataDir}`,
      `Dashboard: ${engine.dashboardLoginUrl(url)}  (the link signs this browser in once)`,
      `Admin API: ${url}/api (Authorization: Bearer ${engine.adminToken()})`,
      '',
      'Claude Code, paste into your shell:',
      claudeCodeShellExports(agentInput).trimEnd(),
      '',
      `OpenAI-format agents: base URL ${url}/v1, API key ${clientToken}`,
      `Codex CLI: ~/.codex/config.toml and the token line from GET ${url}/api/agents (or README "Codex CLI")`,
      '',
    ].join('\n'),
  );

  return new Promise<number>((resolveExit) => {
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      console.log(`\nPatchbay: ${signal} received, closing`);
      const force = setTimeout(() => resolveExit(0), 5000);
      force.unref();
      engine.close().then(
        () => resolveExit(0),
        () => resolveExit(1),
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}
