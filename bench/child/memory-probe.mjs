// Preloaded into the proxy processes under benchmark (`node --import ./bench/child/memory-probe.mjs`).
// Answers the parent's IPC message "memory" with process.memoryUsage() and V8's heap spaces; "gc" runs a full
// collection first when the process was started with --expose-gc. Plain JS, so it can be
// preloaded into any Node program (Patchbay under tsx, claude-code-router's CommonJS bundle)
// without adding a TypeScript loader to it. Does nothing without an IPC channel. When the
// IPC channel closes (the bench died), it sends itself SIGTERM so no proxy is left running.
import process from 'node:process';
import { getHeapSpaceStatistics } from 'node:v8';

if (typeof process.send === 'function') {
  process.on('message', (message) => {
    if (message !== 'memory' && message !== 'gc') return;
    if (message === 'gc' && typeof globalThis.gc === 'function') globalThis.gc();
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    // Per V8 space (new, old, code, large objects...): which one holds memory that heapUsed does not show.
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]));
    process.send?.({ type: 'memory', rss, heapUsed, heapTotal, external, arrayBuffers, spaces });
  });
  // The listener must not keep the process alive once the program itself is done.
  process.channel?.unref();
  // The bench went away without stopping us (crash, Ctrl-C): shut down the way SIGTERM does.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
