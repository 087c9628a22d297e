/** Entry point of the `patchbay` command (headless). */
import { parseCli, USAGE, UsageError } from './args';
import { npmLauncherChain, watchLauncher } from './launcher-watch';

/** Under `npx`/`npm exec`, the server closes (as on SIGTERM) when npm is killed: no orphan keeps the port. */
function closeWhenLauncherGoes(): void {
  watchLauncher(npmLauncherChain(), (gone) => {
    console.error(`patchbay: the process that launched this server (pid ${gone.pid}, ${gone.cmdline[0] ?? '?'}) is gone; closing`);
    process.kill(process.pid, 'SIGTERM');
  });
}

async function main(argv: string[]): Promise<number> {
  let command;
  try {
    command = parseCli(argv);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`patchbay: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  switch (command.command) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'version':
      console.log('patchbay 0.1.0');
      return 0;
    case 'serve':
      closeWhenLauncherGoes();
      // Loaded only when serving, so `--help` stays instant.
      return (await import('./serve')).runServe(command);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(`patchbay: ${(err as Error).message ?? String(err)}`);
    process.exit(1);
  },
);
