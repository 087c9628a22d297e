/** Command-line parsing for `patchbay`. Pure: no I/O, so it is unit-tested directly. */
import { parseArgs } from 'node:util';

export const DEFAULT_PORT = 7420;

export interface ServeOptions {
  command: 'serve';
  config?: string;
  port: number;
  host: string;
  dataDir?: string;
  /** `--init`: a `--config` file that does not exist is created from the presets (else it is an error). */
  init?: boolean;
}

export type CliCommand = ServeOptions | { command: 'help' } | { command: 'version' };

export class UsageError extends Error {}

export const USAGE = `Usage: patchbay serve [--config FILE [--init]] [--port N] [--host 127.0.0.1] [--data-dir DIR]

Runs the Patchbay proxy in the foreground until SIGINT/SIGTERM.
  --config FILE    JSON config (see README "Config file"); default: built-in presets
                   (Moonshot and NVIDIA NIM, keys from MOONSHOT_API_KEY / NVIDIA_API_KEY);
                   a FILE that does not exist is an error, unless --init is given
  --init           create the --config FILE from the built-in presets when it does not exist
  --port N         port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
  --host ADDR      loopback address to bind (default 127.0.0.1; only loopback is allowed)
  --data-dir DIR   where Patchbay keeps its state and request log (default ~/.patchbay)`;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

export function parseCli(argv: string[]): CliCommand {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      init: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.version) return { command: 'version' };
  if (values.help || positionals.length === 0) return { command: 'help' };
  const [command, ...rest] = positionals;
  if (command !== 'serve') throw new UsageError(`unknown command "${command}"`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);

  let port = DEFAULT_PORT;
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) {
      throw new UsageError(`--port must be a number from 0 to 65535, got "${values.port}"`);
    }
    port = Number(values.port);
  }
  const host = values.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new UsageError(
      `--host ${host} is not a loopback address: Patchbay only binds loopback (127.0.0.1, ::1, localhost) so nothing off this machine can use your keys`,
    );
  }
  return {
    command: 'serve',
    port,
    host: host === '[::1]' ? '::1' : host,
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
    ...(values.init ? { init: true } : {}),
  };
}
