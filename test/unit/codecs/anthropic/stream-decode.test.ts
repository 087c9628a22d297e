import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicCodec } from '../../../../app/codecs/anthropic/index';
import { TRUNCATED_STREAM_MESSAGE } from '../../../../app/codecs/anthropic/stream-decode';
import type { SseMessage } from '../../../../app/codecs/codec';
import type { StreamEvent } from '../../../../app/ir/stream';
import { ToolNameMap } from '../../../../app/translate/tool-names';

const ctx = { toolNames: new ToolNameMap([]), requestedModel: 'gpt-x' };
const sse = (data: Record<string, unknown>): SseMessage => ({ event: String(data.type), data: JSON.stringify(data) });
const start = sse({
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'kimi-k2.6', content: [], usage: { input_tokens: 50, output_tokens: 1, cache_read_input_tokens: 10 } },
});

function run(messages: SseMessage[], end = true): StreamEvent[] {
  const decoder = anthropicCodec.createStreamDecoder(ctx);
  const out = messages.flatMap((m) => decoder.push(m));
  return end ? [...out, ...decoder.end()] : out;
}

test('usage: message_start values, then the latest non-null values from message_delta', () => {
  const events = run([
    start,
    sse({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 99, input_tokens: null } }),
    sse({ type: 'message_stop' }),
  ]);
  assert.deepEqual(events, [
    { type: 'message_start', id: 'msg_1', model: 'kimi-k2.6', usage: { inputTokens: 50, outputTokens: 1, cacheReadTokens: 10 } },
    { type: 'message_delta', stopReason: 'end_turn', usage: { inputTokens: 50, outputTokens: 99, cacheReadTokens: 10 } },
    { type: 'message_stop' },
  ]);
});

test('ping passes; an upstream error event ends the stream with its type and wording', () => {
  const events = run([
    start,
    sse({ type: 'ping' }),
    sse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    sse({ type: 'message_stop' }),
  ]);
  assert.equal(events[1]?.type, 'ping');
  assert.deepEqual(events[2], { type: 'error', error: { kind: 'overloaded', status: 529, message: 'Overloaded' } });
  assert.equal(events.length, 3);
});

test('a stream that ends before message_stop becomes an api_error', () => {
  const events = run([start, sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })]);
  const last = events[events.length - 1];
  assert.deepEqual(last, { type: 'error', error: { kind: 'api_error', status: 500, message: TRUNCATED_STREAM_MESSAGE } });
  assert.deepEqual(run([], true), [{ type: 'error', error: { kind: 'api_error', status: 500, message: TRUNCATED_STREAM_MESSAGE } }]);
});

test('after message_stop, end() adds nothing', () => {
  assert.deepEqual(run([start, sse({ type: 'message_stop' })]).map((e) => e.type), ['message_start', 'message_stop']);
});

test('server tool blocks are skipped and indices renumbered; ids unescaped; prefilled starts become deltas', () => {
  const events = run([
    start,
    sse({ type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use', id: 'srv', name: 'web_search', input: {} } }),
    sse({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"q":1}' } }),
    sse({ type: 'content_block_stop', index: 0 }),
    sse({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'pbx_functions_2eBash_3a0', name: 'Bash', input: { command: 'ls' } } }),
    sse({ type: 'content_block_stop', index: 1 }),
    sse({ type: 'content_block_start', index: 2, content_block: { type: 'text', text: 'pre' } }),
    sse({ type: 'content_block_delta', index: 2, delta: { type: 'citations_delta', citation: {} } }),
    sse({ type: 'content_block_stop', index: 2 }),
    sse({ type: 'message_delta', delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' }, usage: { output_tokens: 3 } }),
    sse({ type: 'message_stop' }),
  ]);
  assert.deepEqual(events.slice(1), [
    { type: 'block_start', index: 0, block: { type: 'tool_use', id: 'functions.Bash:0', name: 'Bash' } },
    { type: 'block_delta', index: 0, delta: { type: 'input_json', partialJson: '{"command":"ls"}' } },
    { type: 'block_stop', index: 0 },
    { type: 'block_start', index: 1, block: { type: 'text' } },
    { type: 'block_delta', index: 1, delta: { type: 'text', text: 'pre' } },
    { type: 'block_stop', index: 1 },
    { type: 'message_delta', stopReason: 'stop_sequence', stopSequence: 'END', usage: { inputTokens: 50, outputTokens: 3, cacheReadTokens: 10 } },
    { type: 'message_stop' },
  ]);
});

test('malformed event data becomes an api_error and ends the stream', () => {
  const events = run([start, { event: 'content_block_delta', data: '{not json' }, sse({ type: 'message_stop' })]);
  assert.equal(events.length, 2);
  assert.equal(events[1]?.type, 'error');
  if (events[1]?.type === 'error') assert.match(events[1].error.message, /malformed stream event/);
});
