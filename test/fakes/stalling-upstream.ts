/**
 * An upstream that misbehaves at the transport level, on a raw `net` server (no HTTP library to
 * tidy anything up): `silent` accepts the connection, reads the request and never writes a byte;
 * `stall` answers 200 with an event stream, sends the first events of an answer in the backend's
 * format (chunked, as real servers do), then goes quiet with the connection open; `slow` (OpenAI
 * format) is a live but slow model: headers after `slowMs`, then a chunk every `slowMs`, and a
 * complete answer. It records each connection and whether the proxy closed it.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { WireFormat } from '../../app/codecs/codec';

export type StallMode = 'silent' | 'stall' | 'slow';

export interface StallingUpstream {
  /** The backend's baseUrl in its format's habit (Anthropic without /v1, the others with it). */
  baseUrl: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections the proxy closed (after giving up on them). */
  readonly closedByProxy: number;
  close(): Promise<void>;
}

const sse = (data: unknown, event?: string): string => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;

/** The opening events of a streamed answer ("hel"), then nothing. */
export function openingEvents(format: WireFormat): string[] {
  if (format === 'anthropic') {
    return [
      sse(
        {
          type: 'message_start',
          message: { id: 'msg_stall', type: 'message', role: 'assistant', model: 'stall-model', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } },
        },
        'message_start',
      ),
      sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start'),
      sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hel' } }, 'content_block_delta'),
    ];
  }
  if (format === 'openai') {
    const chunk = (delta: Record<string, unknown>) => ({ id: 'chatcmpl-stall', object: 'chat.completion.chunk', created: 1, model: 'stall-model', choices: [{ index: 0, delta, finish_reason: null }] });
    return [sse(chunk({ role: 'assistant', content: '' })), sse(chunk({ content: 'hel' }))];
  }
  const response = { id: 'resp_stall', object: 'response', created_at: 1, status: 'in_progress', model: 'stall-model', output: [] };
  const item = { id: 'msg_stall', type: 'message', status: 'in_progress', role: 'assistant', content: [] };
  return [
    sse({ type: 'response.created', sequence_number: 0, response }, 'response.created'),
    sse({ type: 'response.in_progress', sequence_number: 1, response }, 'response.in_progress'),
    sse({ type: 'response.output_item.added', sequence_number: 2, output_index: 0, item }, 'response.output_item.added'),
    sse(
      { type: 'response.content_part.added', sequence_number: 3, item_id: 'msg_stall', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } },
      'response.content_part.added',
    ),
    sse({ type: 'response.output_text.delta', sequence_number: 4, item_id: 'msg_stall', output_index: 0, content_index: 0, delta: 'hel' }, 'response.output_text.delta'),
  ];
}

/** Reads one request (headers, then content-length bytes of body) and calls `done` once. */
function onRequest(socket: Socket, done: () => void): void {
  let buffered = Buffer.alloc(0);
  let fired = false;
  socket.on('data', (chunk: Buffer) => {
    if (fired) return;
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0) return;
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(buffered.subarray(0, end).toString('latin1'))?.[1] ?? 0);
    if (buffered.length - (end + 4) < length) return;
    fired = true;
    done();
  });
}

const chunked = (text: string): string => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

/** Pieces of a slow model's complete OpenAI stream ("slow and steady"). */
export const SLOW_PIECES = ['slow', ' and', ' steady'];

function slowAnswer(socket: Socket, gapMs: number): void {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    sse({ id: 'chatcmpl-slow', object: 'chat.completion.chunk', created: 1, model: 'stall-model', choices: [{ index: 0, delta, finish_reason: finish }] });
  const frames = [chunk({ role: 'assistant', content: '' }), ...SLOW_PIECES.map((p) => chunk({ content: p })), chunk({}, 'stop'), 'data: [DONE]\n\n'];
  const next = (i: number): void => {
    if (socket.destroyed) return;
    if (i === frames.length) {
      socket.end('0\r\n\r\n');
      return;
    }
    socket.write(chunked(frames[i]!));
    setTimeout(() => next(i + 1), gapMs);
  };
  setTimeout(() => {
    if (socket.destroyed) return;
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n');
    setTimeout(() => next(0), gapMs);
  }, gapMs);
}

export async function startStallingUpstream(mode: StallMode, format: WireFormat, slowMs = 300): Promise<StallingUpstream> {
  const sockets = new Set<Socket>();
  const counts = { connections: 0, closedByProxy: 0 };
  const server = createServer((socket) => {
    counts.connections++;
    sockets.add(socket);
    let closing = false;
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      if (!closing) counts.closedByProxy++;
    });
    (socket as Socket & { markClosing?: () => void }).markClosing = () => (closing = true);
    onRequest(socket, () => {
      if (mode === 'silent') return;
      if (mode === 'slow') return slowAnswer(socket, slowMs);
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n');
      for (const event of openingEvents(format)) socket.write(chunked(event));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}${format === 'anthropic' ? '' : '/v1'}`,
    get connections() {
      return counts.connections;
    },
    get closedByProxy() {
      return counts.closedByProxy;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) {
          (socket as Socket & { markClosing?: () => void }).markClosing?.();
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
