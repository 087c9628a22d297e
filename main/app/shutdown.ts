/**
 * Quitting closes the engine first (streams, request log, port), once, then exits. Electron's
 * `before-quit` is synchronous, so the first quit is cancelled, the engine is closed, and the
 * app then exits for good; SIGINT/SIGTERM take the same path. A close that hangs (a stream that
 * never ends) is cut after `timeoutMs`: quitting never strands the app.
 */
export interface ShutdownDeps {
  close(): Promise<void>;
  exit(code: number): void;
  timeoutMs: number;
  log?: (message: string) => void;
}

export interface Shutdown {
  /** True once a shutdown has begun: `before-quit` lets the final quit through. */
  readonly started: boolean;
  /** Starts the shutdown (again: the same promise). Resolves with the exit code passed to `exit`. */
  begin(reason: string): Promise<number>;
}

export function createShutdown(deps: ShutdownDeps): Shutdown {
  let running: Promise<number> | undefined;
  return {
    get started() {
      return running !== undefined;
    },
    begin(reason) {
      running ??= (async () => {
        deps.log?.(`Patchbay: ${reason}, closing`);
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), deps.timeoutMs);
        });
        let code = 0;
        try {
          const outcome = await Promise.race([deps.close().then(() => 'closed' as const), timedOut]);
          if (outcome === 'timeout') {
            deps.log?.(`Patchbay: the engine did not close within ${deps.timeoutMs} ms; exiting anyway`);
            code = 1;
          }
        } catch (err) {
          deps.log?.(`Patchbay: closing the engine failed: ${(err as Error).message}`);
          code = 1;
        } finally {
          clearTimeout(timer);
        }
        deps.exit(code);
        return code;
      })();
      return running;
    },
  };
}
