/** Waits for a `patchbay serve` child to print its "Patchbay listening on <url>" line. */
import type { ChildProcess } from 'node:child_process';

export interface ServeOutput {
  url: string;
  /** Everything the child wrote on stdout and stderr so far (still collected after the url). */
  output(): string;
}

/** Rejects, with the output, if the child exits first or `withinMs` passes; `what` names it in the error. */
export async function listeningUrl(child: ChildProcess, what: string, withinMs: number): Promise<ServeOutput> {
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not listen within ${withinMs / 1000} s:\n${output}`)), withinMs);
    const onData = (d: Buffer) => {
      output += d.toString('utf8');
      const m = /Patchbay listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return { url, output: () => output };
}
