/**
 * Recorded-stream round trip: a realistic Anthropic SSE stream (thinking with signature, text,
 * two tool_use blocks with input_json_delta, message_delta usage) is parsed with
 * eventsource-parser, decoded to the IR, re-encoded, and must equal the original events —
 * with the bytes cut at every position, and over a real loopback socket — except the message
 * id, which is always a fresh one of Patchbay's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createParser } from 'eventsource-parser';
import { anthropicCodec } from '../../../../app/codecs/anthropic/index';
import type { SseMessage } from '../../../../app/codecs/codec';
import { ToolNameMap } from '../../../../app/translate/tool-names';

const bytes = readFileSync(new URL('../../../fixtures/anthropic/stream-text-thinking-tools.sse', import.meta.url));
const ctx = () => ({ toolNames: new ToolNameMap(['Bash', 'Write']), requestedModel: 'claude-sonnet-4-5' });

interface ParsedEvent {
  event: string | undefined;
  data: unknown;
}

function parseChunks(chunks: Uint8Array[]): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = createParser({ onEvent: (e) => out.push({ ...(e.event !== undefined ? { event: e.event } : {}), data: e.data }) });
  const decoder = new TextDecoder();
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
  parser.feed(decoder.decode());
  return out;
}

const asEvents = (messages: SseMessage[]): ParsedEvent[] => messages.map((m) => ({ event: m.event, data: JSON.parse(m.data) }));

const MESSAGE_ID = /^msg_[0-9A-Za-z]{24}$/;

/** The events with message_start's id checked (fresh, well shaped) and then put back to `id`. */
function withMessageId(events: ParsedEvent[], id: string): ParsedEvent[] {
  return events.map((e) => {
    if (e.event !== 'message_start') return e;
    const data = e.data as { message: { id: string } };
    assert.match(data.message.id, MESSAGE_ID);
    assert.notEqual(data.message.id, id, 'the upstream id is not copied');
    return { ...e, data: { ...data, message: { ...data.message, id } } };
  });
}

/** Decode upstream SSE messages to IR and re-encode them as Anthropic SSE text. */
function reencode(messages: SseMessage[]): string {
  const decoder = anthropicCodec.createStreamDecoder(ctx());
  const encoder = anthropicCodec.createStreamEncoder(ctx());
  const ir = [...messages.flatMap((m) => decoder.push(m)), ...decoder.end()];
  return ir.map((e) => encoder.encode(e)).join('');
}

const original = asEvents(parseChunks([bytes]));
const originalId = (original[0]?.data as { message: { id: string } }).message.id;

test('the fixture is the stream it claims to be', () => {
  assert.equal(original.length, 26);
  const types = original.map((e) => e.event);
  assert.equal(types[0], 'message_start');
  assert.equal(types[types.length - 1], 'message_stop');
  assert.equal(types.filter((t) => t === 'content_block_start').length, 4);
  assert.ok(types.includes('ping'));
  // consistent with its data
  for (const e of original) assert.equal((e.data as { type: string }).type, e.event);
});

test('decode -> encode reproduces the recorded stream with the bytes cut at every position', () => {
  for (let cut = 0; cut <= bytes.length; cut++) {
    const messages = parseChunks([bytes.subarray(0, cut), bytes.subarray(cut)]);
    const again = withMessageId(asEvents(parseChunks([Buffer.from(reencode(messages), 'utf8')])), originalId);
    assert.deepEqual(again, original, `cut at byte ${cut}`);
  }
});

test('the tool inputs reassemble to the JSON the model meant', () => {
  const decoder = anthropicCodec.createStreamDecoder(ctx());
  const ir = parseChunks([bytes]).flatMap((m) => decoder.push(m));
  const inputs = new Map<number, string>();
  for (const e of ir) {
    if (e.type === 'block_delta' && e.delta.type === 'input_json') inputs.set(e.index, (inputs.get(e.index) ?? '') + e.delta.partialJson);
  }
  assert.deepEqual(JSON.parse(inputs.get(2)!), { command: 'ls -la', description: 'List files' });
  assert.deepEqual(JSON.parse(inputs.get(3)!), { file_path: '/tmp/notes.md', content: '# Notes\n\n- café ✓\n"quoted"' });
});

async function overSocket(body: Buffer, chunkSize: number): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let offset = 0;
    const writeNext = (): void => {
      if (offset >= body.length) {
        res.end();
        return;
      }
      res.write(body.subarray(offset, offset + chunkSize), () => setImmediate(writeNext));
      offset += chunkSize;
    };
    writeNext();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/v1/messages`, { signal: AbortSignal.timeout(10_000) });
    assert.ok(response.body);
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    return reencode(parseChunks(chunks));
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

test('over a loopback socket in 7-byte writes the stream round-trips unchanged', async () => {
  const text = await overSocket(bytes, 7);
  assert.deepEqual(withMessageId(asEvents(parseChunks([Buffer.from(text, 'utf8')])), originalId), original);
});

test('a stream cut off mid-message over a socket ends with an Anthropic error event', async () => {
  const half = bytes.subarray(0, Math.floor(bytes.length / 2));
  const events = asEvents(parseChunks([Buffer.from(await overSocket(half, 64), 'utf8')]));
  const last = events[events.length - 1];
  assert.equal(last?.event, 'error');
  assert.deepEqual((last?.data as { error: { type: string } }).error.type, 'api_error');
  assert.ok(!events.some((e) => e.event === 'message_stop'));
});
