/**
 * The Responses stream encoder writes what Codex 0.169 requires (field notes): every item opened
 * by output_item.added before its deltas and closed by output_item.done carrying the whole item,
 * sequence numbers on every event, `response.completed` with a fresh `resp_` id per response and
 * usage as input/output/total tokens; max_tokens -> response.incomplete; errors -> response.failed
 * (also before anything started); signatures ride in encrypted_content and come back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { responsesCodec } from '../../../../app/codecs/responses/index';
import { apiError } from '../../../../app/ir/errors';
import type { StreamEvent } from '../../../../app/ir/stream';
import { ToolNameMap } from '../../../../app/translate/tool-names';
import { sampleStream } from './ir-samples';

const ctx = () => ({ toolNames: new ToolNameMap([]), requestedModel: 'gpt-5-codex' });

interface Ev {
  type: string;
  sequence_number: number;
  [key: string]: unknown;
}

function encode(events: StreamEvent[]): { text: string; events: Ev[] } {
  const encoder = responsesCodec.createStreamEncoder(ctx());
  const text = events.map((e) => encoder.encode(e)).join('');
  const parsed = text
    .split('\n\n')
    .filter((frame) => frame.includes('data: '))
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      const data = JSON.parse(dataLine!.slice('data: '.length)) as Ev;
      assert.equal(eventLine, `event: ${data.type}`, 'event: names the type');
      return data;
    });
  return { text, events: parsed };
}

test('sequence numbers count every event from 0; the lifecycle opens and closes the response', () => {
  const { events } = encode(sampleStream());
  assert.deepEqual(
    events.map((e) => e.sequence_number),
    events.map((_, i) => i),
  );
  assert.deepEqual(events.slice(0, 2).map((e) => e.type), ['response.created', 'response.in_progress']);
  assert.equal(events.at(-1)?.type, 'response.completed');
});

test('every delta belongs to an item announced before it; every item ends with output_item.done carrying it whole', () => {
  const { events } = encode(sampleStream());
  const open = new Set<number>();
  const done = events.filter((e) => e.type === 'response.output_item.done');
  for (const e of events) {
    if (e.type === 'response.output_item.added') open.add(e.output_index as number);
    if (e.type.endsWith('.delta')) assert.ok(open.has(e.output_index as number), `${e.type} after its item was added`);
    if (e.type === 'response.output_item.done') open.delete(e.output_index as number);
  }
  assert.equal(open.size, 0);
  assert.deepEqual(
    done.map((e) => e.item),
    [
      { type: 'reasoning', id: (done[0]!.item as { id: string }).id, summary: [{ type: 'summary_text', text: 'The user wants a file.' }] },
      { type: 'message', id: (done[1]!.item as { id: string }).id, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Creating it — now 日本.', annotations: [] }] },
      { type: 'function_call', id: (done[2]!.item as { id: string }).id, call_id: 'call_ns1', name: 'wait_agent', namespace: 'multi_agent_v1', arguments: '{"ids":["ag1"],"timeout_ms":500}', status: 'completed' },
      { type: 'function_call', id: (done[3]!.item as { id: string }).id, call_id: 'call_ex2', name: 'exec_command', arguments: '{"cmd":"echo hi > a.txt"}', status: 'completed' },
    ],
  );
  assert.match((done[0]!.item as { id: string }).id, /^rs_/);
  assert.match((done[1]!.item as { id: string }).id, /^msg_/);
  assert.match((done[2]!.item as { id: string }).id, /^fc_/);
});

test('response.completed: a fresh resp_ id per response, the whole output, Codex usage fields', () => {
  const one = encode(sampleStream()).events.at(-1)!.response as { id: string; output: unknown[]; usage: Record<string, unknown>; status: string };
  const two = encode(sampleStream()).events.at(-1)!.response as { id: string };
  assert.match(one.id, /^resp_[0-9A-Za-z]{48}$/);
  assert.notEqual(one.id, two.id);
  assert.equal(one.status, 'completed');
  assert.equal(one.output.length, 4);
  assert.deepEqual(one.usage, { input_tokens: 150, input_tokens_details: { cached_tokens: 30 }, output_tokens: 42, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 192 });
  assert.ok(!('prompt_tokens' in one.usage));
});

test('a max_tokens stop is response.incomplete with reason max_output_tokens', () => {
  const { events } = encode([
    { type: 'message_start', id: 'u', model: 'm', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'message_delta', stopReason: 'max_tokens', usage: { inputTokens: 1, outputTokens: 2 } },
    { type: 'message_stop' },
  ]);
  const last = events.at(-1)!;
  assert.equal(last.type, 'response.incomplete');
  assert.deepEqual((last.response as { incomplete_details: unknown }).incomplete_details, { reason: 'max_output_tokens' });
});

test('an error before anything started still opens the response, then fails it; nothing follows', () => {
  const encoder = responsesCodec.createStreamEncoder(ctx());
  const text = encoder.encode({ type: 'error', error: apiError('invalid_request', "This model's maximum context length is 1000 tokens") });
  assert.equal(encoder.encode({ type: 'message_stop' }), '');
  const types = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(types, ['response.created', 'response.in_progress', 'response.failed']);
  const failed = JSON.parse(/data: (.+)\n\n$/.exec(text)![1]!) as { response: { status: string; error: { code: string; message: string } } };
  assert.equal(failed.response.status, 'failed');
  assert.equal(failed.response.error.code, 'context_length_exceeded');
});

test('pings are SSE comments (Codex reads only data lines)', () => {
  const encoder = responsesCodec.createStreamEncoder(ctx());
  assert.equal(encoder.encode({ type: 'ping' }), ': ping\n\n');
});

test('an Anthropic signature and redacted thinking ride in encrypted_content and decode back from the echo', () => {
  const { events } = encode([
    { type: 'message_start', id: 'u', model: 'm', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'thinking' } },
    { type: 'block_delta', index: 0, delta: { type: 'thinking', thinking: 'hm' } },
    { type: 'block_delta', index: 0, delta: { type: 'signature', signature: 'sig-abc' } },
    { type: 'block_stop', index: 0 },
    { type: 'block_start', index: 1, block: { type: 'redacted_thinking', data: 'opaque-data' } },
    { type: 'block_stop', index: 1 },
    { type: 'message_delta', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 } },
    { type: 'message_stop' },
  ]);
  const items = events.filter((e) => e.type === 'response.output_item.done').map((e) => e.item as Record<string, unknown>);
  const echoed = responsesCodec.decodeRequest({ model: 'm', input: [{ role: 'user', content: 'q' }, ...items] });
  assert.deepEqual(echoed.messages[1]!.content, [
    { type: 'thinking', thinking: 'hm', signature: 'sig-abc' },
    { type: 'redacted_thinking', data: 'opaque-data' },
  ]);
});

test('a thinking block with no text (signature only) keeps the summary part its stream announced', () => {
  const { events } = encode([
    { type: 'message_start', id: 'u', model: 'm', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'thinking' } },
    { type: 'block_delta', index: 0, delta: { type: 'signature', signature: 'sig' } },
    { type: 'block_stop', index: 0 },
    { type: 'message_delta', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 } },
    { type: 'message_stop' },
  ]);
  const added = events.find((e) => e.type === 'response.reasoning_summary_part.added');
  const done = events.find((e) => e.type === 'response.output_item.done')!.item as { summary: unknown[]; encrypted_content: string };
  assert.equal(added?.summary_index, 0);
  assert.deepEqual(done.summary, [{ type: 'summary_text', text: '' }]);
  assert.equal(done.encrypted_content, 'patchbay.sig.v1:sig');
});
