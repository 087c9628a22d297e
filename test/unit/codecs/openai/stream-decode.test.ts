import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createParser } from 'eventsource-parser';
import { createStreamDecoder } from '../../../../app/codecs/openai/stream-decode';
import type { TranslationContext } from '../../../../app/codecs/codec';
import type { StreamEvent } from '../../../../app/ir/stream';
import { KIMI_TEXT_TOOL_CALLS } from '../../../../app/quirks/kimi';
import { ToolNameMap } from '../../../../app/translate/tool-names';
import { assertStreamInvariants } from './stream-invariants';

const fixtureUrl = new URL('../../../fixtures/openai/nim-kimi-stream.sse', import.meta.url);
const FIXTURE = readFileSync(fixtureUrl);
const EXPECTED = JSON.parse(readFileSync(new URL('../../../fixtures/openai/nim-kimi-stream.expected.json', import.meta.url), 'utf8')) as StreamEvent[];

function ctx(extra: Partial<TranslationContext> = {}): TranslationContext {
  return { toolNames: new ToolNameMap(['Write', 'Bash']), requestedModel: 'claude-sonnet-4-5', ...extra };
}

/** Feed byte chunks through a streaming UTF-8 decoder and eventsource-parser into the IR decoder. */
function decodeBytes(chunks: Uint8Array[], context: TranslationContext): StreamEvent[] {
  const decoder = createStreamDecoder(context);
  const events: StreamEvent[] = [];
  const parser = createParser({ onEvent: (m) => events.push(...decoder.push({ data: m.data })) });
  const utf8 = new TextDecoder();
  for (const chunk of chunks) parser.feed(utf8.decode(chunk, { stream: true }));
  parser.feed(utf8.decode());
  events.push(...decoder.end());
  return events;
}

function decodeLines(lines: string[], context: TranslationContext = ctx()): StreamEvent[] {
  const decoder = createStreamDecoder(context);
  const events = lines.flatMap((data) => decoder.push({ data }));
  return [...events, ...decoder.end()];
}

const base = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm' };
const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });

test('the NIM fixture decodes to the expected IR', () => {
  const events = decodeBytes([FIXTURE], ctx());
  assert.deepEqual(events, EXPECTED);
  assertStreamInvariants(events);
  const write = events.filter((e) => e.type === 'block_delta' && e.index === 2).map((e) => (e.type === 'block_delta' && e.delta.type === 'input_json' ? e.delta.partialJson : ''));
  assert.deepEqual(JSON.parse(write.join('')), { file_path: 'a.txt', content: 'line1\nline2 日本' });
});

test('the NIM fixture cut in two at every byte position decodes identically (plain and kimi)', () => {
  for (const kimi of [false, true]) {
    for (let cut = 0; cut <= FIXTURE.length; cut++) {
      const events = decodeBytes([FIXTURE.subarray(0, cut), FIXTURE.subarray(cut)], ctx(kimi ? { textToolCalls: KIMI_TEXT_TOOL_CALLS } : {}));
      assert.deepEqual(events, EXPECTED, `kimi=${kimi} cut at byte ${cut}`);
    }
  }
});

test('the fixture served over a real socket decodes to the expected IR', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    // dribble it out in odd-sized pieces
    let at = 0;
    const step = () => {
      if (at >= FIXTURE.length) return res.end();
      res.write(FIXTURE.subarray(at, at + 97));
      at += 97;
      setImmediate(step);
    };
    step();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(10_000) });
    assert.ok(res.body);
    const chunks: Uint8Array[] = [];
    for await (const piece of res.body) chunks.push(piece);
    assert.deepEqual(decodeBytes(chunks, ctx()), EXPECTED);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('a call that never gets an id is given call_<n> at the finish; stop reason is tool_use whatever finish says', () => {
  const events = decodeLines([
    chunk({ tool_calls: [{ index: 0, function: { name: 'Write', arguments: '{"a":' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
    chunk({}, 'stop'),
    '[DONE]',
  ]);
  assertStreamInvariants(events);
  assert.deepEqual(events[1], { type: 'block_start', index: 0, block: { type: 'tool_use', id: 'call_0', name: 'Write' } });
  assert.deepEqual(events[2], { type: 'block_delta', index: 0, delta: { type: 'input_json', partialJson: '{"a":1}' } });
  const delta = events.find((e) => e.type === 'message_delta');
  assert.equal(delta?.type === 'message_delta' && delta.stopReason, 'tool_use');
});

test('usage on the finish chunk is read, long names are restored, end() after finish closes the message', () => {
  const long = 'mcp__some_server__' + 'x'.repeat(70);
  const names = new ToolNameMap([long]);
  const wire = names.wire(long);
  const events = decodeLines(
    [
      chunk({ content: 'hi' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', function: { name: wire, arguments: '{}' } }] }),
      JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 10, completion_tokens: 3, cached_tokens: 4 } }),
    ],
    { toolNames: names, requestedModel: 'x' },
  );
  assertStreamInvariants(events);
  const start = events.find((e) => e.type === 'block_start' && e.block.type === 'tool_use');
  assert.equal(start?.type === 'block_start' && start.block.type === 'tool_use' && start.block.name, long);
  assert.deepEqual(events.at(-2), { type: 'message_delta', stopReason: 'tool_use', usage: { inputTokens: 6, outputTokens: 3, cacheReadTokens: 4 } });
  assert.deepEqual(events.at(-1), { type: 'message_stop' });
});

test('finish_reason length maps to max_tokens', () => {
  const events = decodeLines([chunk({ content: 'abc' }), chunk({}, 'length'), '[DONE]']);
  assertStreamInvariants(events);
  const delta = events.find((e) => e.type === 'message_delta');
  assert.equal(delta?.type === 'message_delta' && delta.stopReason, 'max_tokens');
});

test('end() without a finish_reason is an api_error, never a complete-looking message', () => {
  const events = decodeLines([chunk({ content: 'partial' })]);
  assertStreamInvariants(events);
  const last = events.at(-1);
  assert.equal(last?.type, 'error');
  assert.equal(last?.type === 'error' && last.error.kind, 'api_error');
  assert.ok(!events.some((e) => e.type === 'message_stop'));
});

test('an error object mid-stream becomes an IR error and nothing follows it', () => {
  const events = decodeLines([
    chunk({ content: 'x' }),
    JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'rate_limit_error', code: 'rate_limit_exceeded' } }),
    chunk({ content: 'ignored' }),
    '[DONE]',
  ]);
  assertStreamInvariants(events);
  const last = events.at(-1);
  assert.equal(last?.type === 'error' && last.error.kind, 'rate_limit');
  assert.equal(last?.type === 'error' && last.error.message, 'Rate limit reached for requests');
});

test('malformed JSON in a chunk is an IR error', () => {
  const events = decodeLines(['{"id":']);
  assert.equal(events.length, 1);
  assert.equal(events[0]?.type, 'error');
});

test("with ctx.textToolCalls = Kimi's syntax, Kimi's text-emitted tool calls become tool_use blocks", () => {
  const events = decodeLines(
    [
      chunk({ content: 'Writing.<|tool_calls_sec' }),
      chunk({ content: 'tion_begin|> <|tool_call_begin|>functions.Write:0<|tool_call_argument_begin|>{"file_path":"a.txt"}' }),
      chunk({ content: '<|tool_call_end|><|tool_calls_section_end|>' }),
      chunk({}, 'stop'),
      '[DONE]',
    ],
    ctx({ textToolCalls: KIMI_TEXT_TOOL_CALLS }),
  );
  assertStreamInvariants(events);
  assert.deepEqual(
    events.filter((e) => e.type !== 'message_start' && e.type !== 'message_stop'),
    [
      { type: 'block_start', index: 0, block: { type: 'text' } },
      { type: 'block_delta', index: 0, delta: { type: 'text', text: 'Writing.' } },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { type: 'tool_use', id: 'functions.Write:0', name: 'Write' } },
      { type: 'block_delta', index: 1, delta: { type: 'input_json', partialJson: '{"file_path":"a.txt"}' } },
      { type: 'block_stop', index: 1 },
      { type: 'message_delta', stopReason: 'tool_use', usage: { inputTokens: 0, outputTokens: 0 } },
    ],
  );
});
