import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createParser } from 'eventsource-parser';
import { openaiCodec } from '../../../../app/codecs/openai/index';
import type { StreamEvent } from '../../../../app/ir/stream';
import { ToolNameMap } from '../../../../app/translate/tool-names';

const EVENTS: StreamEvent[] = [
  { type: 'message_start', id: 'msg_1', model: 'kimi', usage: { inputTokens: 0, outputTokens: 0 } },
  { type: 'block_start', index: 0, block: { type: 'thinking' } },
  { type: 'block_delta', index: 0, delta: { type: 'thinking', thinking: 'hm' } },
  { type: 'block_delta', index: 0, delta: { type: 'signature', signature: 'sig' } },
  { type: 'block_stop', index: 0 },
  { type: 'ping' },
  { type: 'block_start', index: 1, block: { type: 'text' } },
  { type: 'block_delta', index: 1, delta: { type: 'text', text: 'Hi' } },
  { type: 'block_stop', index: 1 },
  { type: 'block_start', index: 2, block: { type: 'tool_use', id: 'toolu_1', name: 'Write' } },
  { type: 'block_delta', index: 2, delta: { type: 'input_json', partialJson: '{"a"' } },
  { type: 'block_delta', index: 2, delta: { type: 'input_json', partialJson: ':1}' } },
  { type: 'block_stop', index: 2 },
  { type: 'block_start', index: 3, block: { type: 'tool_use', id: 'toolu_2', name: 'Bash' } },
  { type: 'block_stop', index: 3 },
  { type: 'message_delta', stopReason: 'tool_use', usage: { inputTokens: 5, outputTokens: 7, cacheReadTokens: 10 } },
  { type: 'message_stop' },
];

function encodeAll(events: StreamEvent[], includeUsage: boolean): string {
  const encoder = openaiCodec.createStreamEncoder({ toolNames: new ToolNameMap([]), requestedModel: 'gpt-x', includeUsage });
  return events.map((e) => encoder.encode(e)).join('');
}

function parse(sse: string): { data: string[]; comments: string[] } {
  const data: string[] = [];
  const comments: string[] = [];
  const parser = createParser({ onEvent: (m) => data.push(m.data), onComment: (c) => comments.push(c) });
  parser.feed(sse);
  return { data, comments };
}

test('IR stream -> chat.completion.chunk SSE with role first, deltas, finish, usage, [DONE]', () => {
  const sse = encodeAll(EVENTS, true);
  const { data, comments } = parse(sse);
  assert.deepEqual(comments, ['ping']);
  assert.ok(sse.includes('\n\n: ping\n\n'));
  assert.equal(data.at(-1), '[DONE]');
  const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Record<string, unknown> & { choices: Array<Record<string, unknown>> });
  const ids = new Set(chunks.map((c) => c.id));
  assert.equal(ids.size, 1);
  assert.match(String([...ids][0]), /^chatcmpl-/);
  for (const c of chunks) {
    assert.equal(c.object, 'chat.completion.chunk');
    assert.equal(c.model, 'gpt-x');
    assert.equal(typeof c.created, 'number');
  }
  const deltas = chunks.map((c) => c.choices[0]?.delta);
  assert.deepEqual(deltas, [
    { role: 'assistant', content: '' },
    { reasoning_content: 'hm' },
    { content: 'Hi' },
    { tool_calls: [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'Write', arguments: '' } }] },
    { tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] },
    { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] },
    { tool_calls: [{ index: 1, id: 'toolu_2', type: 'function', function: { name: 'Bash', arguments: '' } }] },
    {},
    undefined,
  ]);
  assert.equal(chunks[7]?.choices[0]?.finish_reason, 'tool_calls');
  assert.deepEqual(chunks[8], {
    id: chunks[0]?.id,
    object: 'chat.completion.chunk',
    created: chunks[0]?.created,
    model: 'gpt-x',
    choices: [],
    usage: { prompt_tokens: 15, completion_tokens: 7, total_tokens: 22, prompt_tokens_details: { cached_tokens: 10 } },
  });
});

test('no usage chunk unless the client asked for it', () => {
  const { data } = parse(encodeAll(EVENTS, false));
  assert.ok(data.slice(0, -1).every((d) => !('usage' in (JSON.parse(d) as object))));
  assert.equal(data.at(-1), '[DONE]');
});

test('an IR error mid-stream becomes one error data line and nothing more', () => {
  const events: StreamEvent[] = [
    EVENTS[0]!,
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'error', error: { kind: 'overloaded', status: 529, message: 'Overloaded' } },
    { type: 'message_stop' },
  ];
  const { data } = parse(encodeAll(events, true));
  assert.equal(data.length, 2);
  assert.deepEqual(JSON.parse(data[1]!), { error: { message: 'Overloaded', type: 'server_error', param: null, code: 'overloaded' } });
});

test('finish reasons map from IR stop reasons', () => {
  const cases: Array<[StreamEvent & { type: 'message_delta' }, string]> = [
    [{ type: 'message_delta', stopReason: 'end_turn', usage: { inputTokens: 0, outputTokens: 0 } }, 'stop'],
    [{ type: 'message_delta', stopReason: 'stop_sequence', usage: { inputTokens: 0, outputTokens: 0 } }, 'stop'],
    [{ type: 'message_delta', stopReason: 'max_tokens', usage: { inputTokens: 0, outputTokens: 0 } }, 'length'],
    [{ type: 'message_delta', stopReason: 'refusal', usage: { inputTokens: 0, outputTokens: 0 } }, 'content_filter'],
  ];
  for (const [event, finish] of cases) {
    const { data } = parse(encodeAll([EVENTS[0]!, event], false));
    assert.equal((JSON.parse(data[1]!) as { choices: Array<{ finish_reason: string }> }).choices[0]?.finish_reason, finish);
  }
});

test('two streams with the same upstream id get different, well-shaped ids, one per stream on every chunk', () => {
  const idsOf = (sse: string) => new Set(parse(sse).data.filter((d) => d !== '[DONE]').map((d) => (JSON.parse(d) as { id: string }).id));
  const first = idsOf(encodeAll(EVENTS, true));
  const second = idsOf(encodeAll(EVENTS, true));
  assert.equal(first.size, 1);
  assert.equal(second.size, 1);
  const [a] = [...first];
  const [b] = [...second];
  assert.match(a!, /^chatcmpl-[0-9A-Za-z]{29}$/);
  assert.match(b!, /^chatcmpl-[0-9A-Za-z]{29}$/);
  assert.notEqual(a, b);
  assert.notEqual(a, 'chatcmpl-msg_1', 'not derived from the upstream id');
});
