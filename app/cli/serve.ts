/** `patchbay serve`: the headless proxy, in the foreground. */
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ServeOptions } from './args';
import { ConfigError, loadConfigFile } from '../config/load';
import { presetConfig } from '../config/presets';
import type { PatchbayConfig } from '../config/schema';
import { EnvKeySource } from '../vault/key-source';
import { BackendRegistry } from '../routing/backend-registry';
import { createProxyServer } from '../proxy/server';
import { claudeCodeShellSnippet } from '../snippets/claude-code';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PATCHBAY_DATA_DIR ?? resolve(homedir(), '.patchbay');
}

function generateToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Backends whose `env:` key is not set: said at start, so a 401 later is no surprise. */
function missingEnvKeys(config: PatchbayConfig, env: NodeJS.ProcessEnv): string[] {
  return config.backends
    .filter((b) => b.apiKey.startsWith('env:') && !env[b.apiKey.slice(4)])
    .map((b) => `backend "${b.id}": ${b.apiKey.slice(4)} is not set; requests routed to it will fail until it is`);
}

export async function runServe(options: ServeOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: PatchbayConfig;
  try {
    config = options.config ? await loadConfigFile(options.config) : presetConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`patchbay: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const dataDir = resolve(options.dataDir ?? defaultDataDir(env));
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const clientToken = config.clientToken ?? generateToken('pb-client-');
  const adminToken = config.adminToken ?? generateToken('pb-admin-');
  const registry = BackendRegistry.fromConfig(config);
  const app = await createProxyServer({
    config,
    registry,
    keySource: new EnvKeySource(env),
    clientToken,
    adminToken,
  });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${hostForUrl}:${port}`;

  for (const warning of missingEnvKeys(config, env)) console.error(`patchbay: warning: ${warning}`);
  console.log(`Patchbay listening on ${url}`);
  console.log(`Active backend: ${registry.active.id} (${registry.active.model})`);
  console.log(`Data dir: ${dataDir}`);
  console.log(`Admin API: ${url}/api (Authorization: Bearer ${adminToken})`);
  console.log(`\nClaude Code, paste into your shell:\n${claudeCodeShellSnippet({ baseUrl: url, clientToken })}\n`);
  console.log(`OpenAI-format agents: base URL ${url}/v1, API key ${clientToken}`);

  return new Promise<number>((resolveExit) => {
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      console.log(`\nPatchbay: ${signal} received, closing`);
      const force = setTimeout(() => resolveExit(0), 5000);
      force.unref();
      app.close().then(
        () => resolveExit(0),
        () => resolveExit(1),
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}
