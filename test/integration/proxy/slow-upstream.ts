/**
 * A minimal OpenAI-format upstream the test drives step by step (the fakes answer at once):
 * it holds its response headers and the rest of its stream until the test releases them,
 * and reports when the proxy closed the connection. Used for keep-alive, hang-up and
 * switch-while-streaming tests, where the fakes' instant answers cannot show the behaviour.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowUpstream {
  url: string;
  /** Requests received so far. */
  received: number;
  /** The proxy closed a connection before the response was complete. */
  sawClientClose: boolean;
  releaseHeaders(): void;
  releaseRest(): void;
  close(): Promise<void>;
}

function chunk(delta: Record<string, unknown>, finish: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-slow', object: 'chat.completion.chunk', created: 1, model: 'slow-model', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** `neverEnd`: after its final chunk and `[DONE]` the body stays open (an upstream that does not end its response). */
export async function startSlowUpstream(opts: { holdHeaders: boolean; neverEnd?: boolean }): Promise<SlowUpstream> {
  const headersGate = deferred();
  const restGate = deferred();
  if (!opts.holdHeaders) headersGate.resolve();
  const state: SlowUpstream = {
    url: '',
    received: 0,
    sawClientClose: false,
    releaseHeaders: () => headersGate.resolve(),
    releaseRest: () => restGate.resolve(),
    close: async () => undefined,
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for await (const _ of req) void _;
    state.received++;
    res.on('close', () => {
      if (!res.writableFinished) state.sawClientClose = true;
    });
    await headersGate.promise;
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(chunk({ role: 'assistant', content: 'hel' }));
    await restGate.promise;
    if (res.destroyed) return;
    res.write(chunk({ content: 'lo' }));
    res.write(chunk({}, 'stop'));
    if (opts.neverEnd) res.write('data: [DONE]\n\n');
    else res.end('data: [DONE]\n\n');
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      headersGate.resolve();
      restGate.resolve();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
