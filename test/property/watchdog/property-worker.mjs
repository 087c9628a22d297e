// Worker side of run-watched.ts: loads a TypeScript module through tsx, runs one of its exported
// functions with a heartbeat the main thread watches, and posts how it ended.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { module, run, arg } = workerData;
try {
  const loaded = await import(module);
  await loaded[run](arg, (beat) => parentPort.postMessage({ type: 'beat', beat }));
  parentPort.postMessage({ type: 'done' });
} catch (err) {
  parentPort.postMessage({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
