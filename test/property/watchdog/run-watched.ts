/**
 * Runs a property in a worker thread under a per-case deadline. A synchronous hang (a decoder
 * looping forever) cannot be interrupted in its own thread: here the main thread sees no
 * heartbeat for `caseDeadlineMs`, terminates the worker and fails with the case that hung,
 * instead of the suite hanging.
 */
import { Worker } from 'node:worker_threads';

/** What a watched function reports before each case: enough to replay it. */
export interface Beat {
  property: string;
  /** 0-based case number (fast-check's replay path for an unshrunk case). */
  caseIndex: number;
  seed: number;
  /** The case's input, shortened (a hang inside shrinking has no path of its own). */
  input?: string;
}

export type Heartbeat = (beat: Beat) => void;

export class PropertyHung extends Error {
  constructor(readonly beat: Beat | undefined, deadlineMs: number) {
    super(
      beat
        ? `property "${beat.property}" hung: case ${beat.caseIndex} did not finish within ${deadlineMs} ms (replay: PATCHBAY_FUZZ_SEED=${beat.seed}, fast-check path "${beat.caseIndex}" unless shrinking); input: ${beat.input ?? '?'}`
        : `the watched property did not start within ${deadlineMs} ms`,
    );
    this.name = 'PropertyHung';
  }
}

/** Runs `run(arg, heartbeat)` exported by `module` (a file URL) in a worker; rejects on failure or hang. */
export function runWatched(module: URL, run: string, arg: unknown, caseDeadlineMs: number, startDeadlineMs = 30_000): Promise<void> {
  const worker = new Worker(new URL('./property-worker.mjs', import.meta.url), { workerData: { module: module.href, run, arg } });
  return new Promise<void>((resolve, reject) => {
    let last: Beat | undefined;
    let timer: NodeJS.Timeout;
    const settle = (err?: Error) => {
      clearTimeout(timer);
      worker.removeAllListeners();
      void worker.terminate();
      if (err) reject(err);
      else resolve();
    };
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => settle(new PropertyHung(last, ms)), ms);
    };
    arm(startDeadlineMs);
    worker.on('message', (m: { type: 'beat'; beat: Beat } | { type: 'done' } | { type: 'failed'; message: string }) => {
      if (m.type === 'beat') {
        last = m.beat;
        arm(caseDeadlineMs);
      } else if (m.type === 'done') settle();
      else settle(new Error(m.message));
    });
    worker.on('error', (err) => settle(err));
    worker.on('exit', (code) => settle(new Error(`property worker exited with ${code} before finishing`)));
  });
}
