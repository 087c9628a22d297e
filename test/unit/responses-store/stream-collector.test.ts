/**
 * StreamCollector rebuilds the streamed answer from IR events: text, thinking with its signature,
 * redacted thinking, tool calls with their JSON input (in fragments), stop reason and usage, for
 * streams as every codec's decoder yields them; a failed or unfinished stream yields nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { StreamEvent } from '../../../app/ir/stream';
import { StreamCollector } from '../../../app/responses-store/index';
import { canonicalResponse, canonicalStream, failingStream } from '../codecs/conformance/canonical-ir';
import { CODEC_CASES, contextFor, fixtureUrl } from '../codecs/conformance/codec-cases';
import { normalResponse } from '../codecs/conformance/normalize';
import { decodeBytes } from '../codecs/conformance/sse';
import { sampleResponse, sampleStream } from '../codecs/responses/ir-samples';

function collect(events: StreamEvent[]): StreamCollector {
  const collector = new StreamCollector();
  for (const event of events) collector.push(event);
  return collector;
}

test('the IR samples: thinking, text with multi-byte characters, tool calls in fragments, usage and stop reason', () => {
  assert.deepEqual(collect(sampleStream()).response(), sampleResponse());
  assert.deepEqual(collect(canonicalStream()).response(), canonicalResponse());
});

for (const [format, c] of Object.entries(CODEC_CASES)) {
  test(`${format}: a stream written by the codec and read back by its decoder collects to the same answer`, () => {
    const encoder = c.codec.createStreamEncoder(contextFor(c));
    const bytes = new TextEncoder().encode(canonicalStream().map((e) => encoder.encode(e)).join(''));
    const events = decodeBytes(c.codec.createStreamDecoder(contextFor(c)), [bytes]);
    const collected = collect(events).response();
    assert.ok(collected, 'the stream finished');
    assert.deepEqual(normalResponse(collected), normalResponse(canonicalResponse()));
  });

  test(`${format}: the recorded backend stream collects to a finished answer with readable tool input`, () => {
    const bytes = readFileSync(fixtureUrl(c.streamFixture));
    const collected = collect(decodeBytes(c.codec.createStreamDecoder(contextFor(c)), [bytes])).response();
    assert.ok(collected && collected.content.length > 0);
    for (const block of collected.content) {
      if (block.type === 'tool_use') assert.ok(!('__patchbay_invalid_arguments' in block.input), `${block.name} input parsed`);
    }
  });
}

test('signature deltas, redacted thinking, a call with no input, and a stop sequence', () => {
  const collected = collect([
    { type: 'message_start', id: 'm1', model: 'claude', usage: { inputTokens: 5, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'thinking' } },
    { type: 'block_delta', index: 0, delta: { type: 'thinking', thinking: 'hm' } },
    { type: 'block_delta', index: 0, delta: { type: 'signature', signature: 'ab' } },
    { type: 'block_delta', index: 0, delta: { type: 'signature', signature: 'cd' } },
    { type: 'block_stop', index: 0 },
    { type: 'ping' },
    { type: 'block_start', index: 1, block: { type: 'redacted_thinking', data: 'opaque' } },
    { type: 'block_stop', index: 1 },
    { type: 'block_start', index: 2, block: { type: 'tool_use', id: 't1', name: 'now' } },
    { type: 'block_stop', index: 2 },
    { type: 'message_delta', stopReason: 'stop_sequence', stopSequence: 'END', usage: { inputTokens: 5, outputTokens: 3 } },
    { type: 'message_stop' },
  ]).response();
  assert.deepEqual(collected, {
    id: 'm1',
    model: 'claude',
    content: [
      { type: 'thinking', thinking: 'hm', signature: 'abcd' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'tool_use', id: 't1', name: 'now', input: {} },
    ],
    stopReason: 'stop_sequence',
    stopSequence: 'END',
    usage: { inputTokens: 5, outputTokens: 3 },
  });
});

test('a stream that failed, or has not finished, yields no answer (never remembered as complete)', () => {
  assert.equal(collect(failingStream()).response(), undefined);
  const unfinished = canonicalStream().slice(0, -1);
  const collector = collect(unfinished);
  assert.equal(collector.response(), undefined);
  collector.push({ type: 'message_stop' });
  assert.ok(collector.response());
  const failedAfterStop = collect([...failingStream().slice(0, 3), { type: 'error', error: { kind: 'api_error', status: 500, message: 'x' } }, { type: 'message_stop' }]);
  assert.equal(failedAfterStop.response(), undefined);
});
