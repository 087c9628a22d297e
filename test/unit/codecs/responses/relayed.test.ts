/** Pass-through facts of a relayed Responses stream: usage from the finishing event, and every lifecycle event's id replaced. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relayedUsage, replaceRelayedResponseId } from '../../../../app/codecs/responses/index';
import { parseSse } from '../conformance/sse';

const events = parseSse([readFileSync(new URL('../../../fixtures/responses/openai-stream.sse', import.meta.url))]).map((m) => JSON.parse(m.data) as Record<string, unknown>);

test('usage is read from response.completed of the recorded stream, and from a whole body', () => {
  const found = events.map(relayedUsage).filter((u) => u !== undefined);
  assert.deepEqual(found, [{ inputTokens: 1186, outputTokens: 96, cacheReadTokens: 1024 }]);
  assert.deepEqual(relayedUsage({ object: 'response', id: 'r', usage: { input_tokens: 5, output_tokens: 1, total_tokens: 6 } }), { inputTokens: 5, outputTokens: 1 });
  assert.equal(relayedUsage({ type: 'response.output_text.delta', delta: 'usage' }), undefined);
});

test('every lifecycle event gets the client id; item events are left alone; the upstream id is reported', () => {
  const copies = structuredClone(events);
  const upstream = copies.map((e) => replaceRelayedResponseId(e, 'resp_client'));
  const lifecycle = copies.filter((e) => typeof e.response === 'object');
  assert.deepEqual(new Set(lifecycle.map((e) => (e.response as { id: string }).id)), new Set(['resp_client']));
  assert.equal(lifecycle.length, 3);
  assert.deepEqual(
    upstream.filter((u) => u !== undefined),
    Array(3).fill('resp_0c4f2e9a1b7d3e5f0068d1a2b3c4d5e6f708192a3b4c5d6e'),
  );
  const body = { object: 'response', id: 'resp_up' };
  assert.equal(replaceRelayedResponseId(body, 'resp_mine'), 'resp_up');
  assert.equal(body.id, 'resp_mine');
});
