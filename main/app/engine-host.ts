/**
 * The engine inside the Electron main process: the same `startEngine` as `patchbay serve`
 * (app/cli/serve.ts), bound to loopback on the port agents were told. No Electron here.
 */
import { startEngine, type Engine } from '../../app/runtime/engine';

export interface EngineHost {
  engine: Engine;
  /** http://127.0.0.1:PORT */
  url: string;
}

export class PortInUseError extends Error {}

export async function startEngineHost(input: { dataDir: string; uiDir: string | undefined; port: number; env: NodeJS.ProcessEnv }): Promise<EngineHost> {
  const { env } = input;
  const engine = await startEngine({
    dataDir: input.dataDir,
    env,
    ...(input.uiDir ? { uiDir: input.uiDir } : {}),
    ...(env.PATCHBAY_KEYCHAIN_SERVICE ? { keychainService: env.PATCHBAY_KEYCHAIN_SERVICE } : {}),
    logLevel: env.PATCHBAY_LOG_LEVEL === 'info' || env.PATCHBAY_LOG_LEVEL === 'debug' ? env.PATCHBAY_LOG_LEVEL : 'warn',
  });
  try {
    const url = await engine.listen('127.0.0.1', input.port);
    for (const warning of engine.warnings) console.error(`patchbay: warning: ${warning}`);
    return { engine, url };
  } catch (err) {
    await engine.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(
        `Port ${input.port} on 127.0.0.1 is in use (another Patchbay, or \`patchbay serve\`?). Close it, or start the app with PATCHBAY_PORT set to another port.`,
      );
    }
    throw err;
  }
}
