/**
 * A Responses backend's stream -> IR: the recorded OpenAI-shaped stream (reasoning summary parts,
 * message, a call in fragments, a namespaced call, cached usage), items announced only by
 * output_item.done, incomplete and failed responses, `error` events, and a stream that ends early.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { responsesCodec } from '../../../../app/codecs/responses/index';
import { TRUNCATED_RESPONSE_MESSAGE } from '../../../../app/codecs/responses/stream-decode';
import type { StreamEvent } from '../../../../app/ir/stream';
import { ToolNameMap } from '../../../../app/translate/tool-names';
import { assertStreamInvariants } from '../conformance/stream-invariants';
import { collapseStream } from '../conformance/normalize';
import { decodeBytes } from '../conformance/sse';

const FIXTURE = readFileSync(new URL('../../../fixtures/responses/openai-stream.sse', import.meta.url));
const ctx = () => ({ toolNames: new ToolNameMap(['exec_command', 'multi_agent_v1.wait_agent']), requestedModel: 'client-model' });

function decodeData(lines: unknown[]): StreamEvent[] {
  const decoder = responsesCodec.createStreamDecoder(ctx());
  const events = lines.flatMap((line) => decoder.push({ data: JSON.stringify(line) }));
  return [...events, ...decoder.end()];
}

test('the recorded stream decodes to reasoning, text, a call and a namespaced call, with cached usage', () => {
  const events = decodeBytes(responsesCodec.createStreamDecoder(ctx()), [FIXTURE]);
  assertStreamInvariants(events);
  assert.deepEqual(collapseStream(events), [
    { type: 'message_start' },
    { type: 'block_start', index: 0, block: { type: 'thinking' } },
    { type: 'block_delta', index: 0, delta: { type: 'thinking', thinking: '**Planning**\n\nWrite the file first.\n\nThen check it.' } },
    { type: 'block_stop', index: 0 },
    { type: 'block_start', index: 1, block: { type: 'text' } },
    { type: 'block_delta', index: 1, delta: { type: 'text', text: 'Writing hello.txt — 日本.' } },
    { type: 'block_stop', index: 1 },
    { type: 'block_start', index: 2, block: { type: 'tool_use', id: 'call_Qx7dK2mP', name: 'exec_command' } },
    { type: 'block_delta', index: 2, delta: { type: 'input_json', partialJson: '{"cmd":"printf hi > hello.txt"}' } },
    { type: 'block_stop', index: 2 },
    { type: 'block_start', index: 3, block: { type: 'tool_use', id: 'call_Zz9', name: 'multi_agent_v1.wait_agent' } },
    { type: 'block_delta', index: 3, delta: { type: 'input_json', partialJson: '{"ids":["ag1"]}' } },
    { type: 'block_stop', index: 3 },
    { type: 'message_delta', stopReason: 'tool_use', usage: { inputTokens: 1186, outputTokens: 96, cacheReadTokens: 1024 } },
    { type: 'message_stop' },
  ]);
  assert.equal(events[0]?.type === 'message_start' && events[0].model, 'gpt-5-codex');
  assert.ok(!JSON.stringify(events).includes('gAAAA'), 'OpenAI encrypted reasoning never reaches the IR');
});

test('items announced only by output_item.done still arrive (text and a call)', () => {
  const events = decodeData([
    { type: 'response.created', response: { id: 'r1', model: 'm', output: [] } },
    { type: 'response.output_item.done', output_index: 0, item: { type: 'message', id: 'm1', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }] } },
    { type: 'response.output_item.done', output_index: 1, item: { type: 'function_call', id: 'f1', call_id: 'c1', name: 'exec_command', arguments: '{"cmd":"ls"}' } },
    { type: 'response.completed', response: { id: 'r1', status: 'completed', usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7 } } },
  ]);
  assertStreamInvariants(events);
  assert.deepEqual(collapseStream(events).slice(1, 7), [
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'block_delta', index: 0, delta: { type: 'text', text: 'hi' } },
    { type: 'block_stop', index: 0 },
    { type: 'block_start', index: 1, block: { type: 'tool_use', id: 'c1', name: 'exec_command' } },
    { type: 'block_delta', index: 1, delta: { type: 'input_json', partialJson: '{"cmd":"ls"}' } },
    { type: 'block_stop', index: 1 },
  ]);
  assert.deepEqual(events.at(-2), { type: 'message_delta', stopReason: 'tool_use', usage: { inputTokens: 3, outputTokens: 4 } });
});

test('response.incomplete (max_output_tokens) ends the message with max_tokens', () => {
  const events = decodeData([
    { type: 'response.created', response: { id: 'r', output: [] } },
    { type: 'response.output_text.delta', output_index: 0, item_id: 'm', delta: 'cut' },
    { type: 'response.incomplete', response: { id: 'r', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } },
  ]);
  assertStreamInvariants(events);
  const delta = events.at(-2);
  assert.equal(delta?.type === 'message_delta' && delta.stopReason, 'max_tokens');
});

test('response.failed and error events become IR errors with their kind; nothing follows', () => {
  const failed = decodeData([
    { type: 'response.created', response: { id: 'r', output: [] } },
    { type: 'response.failed', response: { id: 'r', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Rate limit reached. Please try again in 20s.' } } },
    { type: 'response.completed', response: { id: 'r' } },
  ]);
  assertStreamInvariants(failed);
  const last = failed.at(-1);
  assert.equal(last?.type, 'error');
  if (last?.type === 'error') {
    assert.equal(last.error.kind, 'rate_limit');
    assert.equal(last.error.retryAfterSeconds, 20);
  }
  const overflow = decodeData([{ type: 'error', code: 'context_length_exceeded', message: 'Your input exceeds the context window of this model.' }]);
  assert.equal(overflow.length, 1);
  assert.equal(overflow[0]?.type === 'error' && overflow[0].error.kind, 'invalid_request');
  assert.equal(overflow[0]?.type === 'error' && overflow[0].error.code, 'context_length_exceeded');
});

test('a stream that ends before response.completed is an error, never a finished answer', () => {
  const events = decodeData([
    { type: 'response.created', response: { id: 'r', output: [] } },
    { type: 'response.output_text.delta', output_index: 0, item_id: 'm', delta: 'half' },
  ]);
  assertStreamInvariants(events);
  assert.deepEqual(events.at(-1), { type: 'error', error: { kind: 'api_error', status: 500, message: TRUNCATED_RESPONSE_MESSAGE } });
  const malformed = responsesCodec.createStreamDecoder(ctx()).push({ data: '{not json' });
  assert.equal(malformed[0]?.type, 'error');
});
