/**
 * ResponsesStore: a chain of follow-ups (`previous_response_id`) is served with the whole
 * conversation, exactly as if the client had sent the history itself (the earlier inputs and the
 * output items Patchbay wrote); unknown and expired ids get OpenAI's 400; `store: false` answers
 * are never kept; entries are evicted by count, size and age; what it hands out is a copy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { responsesCodec } from '../../../app/codecs/responses/index';
import type { ChatRequest, ChatResponse, Message, OutputBlock } from '../../../app/ir/conversation';
import { ApiErrorException } from '../../../app/ir/errors';
import { ToolNameMap } from '../../../app/translate/tool-names';
import { ResponsesStore, refusePreviousResponseWithoutStore } from '../../../app/responses-store/index';

const tools = [{ type: 'function', name: 'exec_command', parameters: { type: 'object', properties: { cmd: { type: 'string' } } } }];
const decode = (body: Record<string, unknown>) => responsesCodec.decodeRequest({ model: 'gpt-x', tools, ...body });

function answer(content: OutputBlock[], stopReason: ChatResponse['stopReason'] = 'tool_use'): ChatResponse {
  return { id: 'up', model: 'kimi', content, stopReason, usage: { inputTokens: 1, outputTokens: 1 } };
}

/** The output items a Responses client received for `response` (what it would echo back itself). */
function outputItemsOf(response: ChatResponse): unknown[] {
  const ctx = { toolNames: ToolNameMap.fromTools([]), requestedModel: 'gpt-x' };
  return responsesCodec.encodeResponse(response, ctx).output as unknown[];
}

function withoutState(request: ChatRequest): Omit<ChatRequest, 'responsesState'> {
  const { responsesState: _state, ...rest } = request;
  return rest;
}

function assertToolCallsTied(messages: Message[]): void {
  const seen = new Set<string>();
  for (const m of messages) {
    for (const b of m.content) {
      if (b.type === 'tool_use') seen.add(b.id);
      if (b.type === 'tool_result') assert.ok(seen.has(b.toolUseId), `result ${b.toolUseId} follows its call`);
    }
  }
}

test('three turns: turn 2 names turn 1, turn 3 names turn 2; the whole conversation comes back in order, calls tied to outputs', () => {
  const store = new ResponsesStore();
  const input1 = [
    { role: 'developer', content: 'work in /tmp' },
    { role: 'user', content: 'make a.txt' },
  ];
  const turn1 = decode({ instructions: 'be brief', input: input1 });
  const answer1 = answer([
    { type: 'thinking', thinking: 'need a file', signature: 'sig-1' },
    { type: 'text', text: 'Creating it.' },
    { type: 'tool_use', id: 'call_1', name: 'exec_command', input: { cmd: 'touch a.txt' } },
  ]);
  assert.equal(store.expand(turn1), turn1, 'a request naming no earlier response is served as it is');
  assert.equal(store.remember('resp_1', turn1, answer1), true);

  const input2 = [{ type: 'function_call_output', call_id: 'call_1', output: 'created' }];
  const turn2 = store.expand(decode({ previous_response_id: 'resp_1', instructions: 'be brief', input: input2 }));
  assert.deepEqual(turn2.system.map((b) => b.text), ['be brief', 'work in /tmp']);
  const answer2 = answer([
    { type: 'tool_use', id: 'call_2', name: 'exec_command', input: { cmd: 'ls' } },
    { type: 'tool_use', id: 'call_3', name: 'exec_command', input: { cmd: 'cat a.txt' } },
  ]);
  store.remember('resp_2', turn2, answer2);

  const input3 = [
    { type: 'function_call_output', call_id: 'call_2', output: 'a.txt' },
    { type: 'function_call_output', call_id: 'call_3', output: '' },
    { role: 'developer', content: 'answer in French' },
    { role: 'user', content: 'thanks' },
  ];
  const turn3 = store.expand(decode({ previous_response_id: 'resp_2', input: input3 }));

  // The earlier instructions are not inherited (OpenAI); developer messages of the inputs are.
  assert.deepEqual(turn3.system.map((b) => b.text), ['work in /tmp']);
  assert.deepEqual(
    turn3.messages.map((m) => `${m.role}: ${m.content.map((b) => (b.type === 'tool_use' ? `call ${b.id}` : b.type === 'tool_result' ? `result ${b.toolUseId}` : b.type)).join(', ')}`),
    [
      'user: text',
      'assistant: thinking, text, call call_1',
      'user: result call_1',
      'assistant: call call_2, call call_3',
      'user: result call_2, result call_3',
      'system: text',
      'user: text',
    ],
  );
  assertToolCallsTied(turn3.messages);
  assert.deepEqual(turn3.messages[1]!.content[0], { type: 'thinking', thinking: 'need a file', signature: 'sig-1' });

  // Exactly what the client would have sent had it kept the history itself (store: false, as Codex).
  const inline = decode({ store: false, input: [...input1, ...outputItemsOf(answer1), ...input2, ...outputItemsOf(answer2), ...input3] });
  assert.deepEqual(withoutState(turn3), withoutState(inline));
  assert.deepEqual(turn3.responsesState, { previousResponseId: 'resp_2', store: true, instructionBlocks: 0 });
});

test('an unknown id is refused with the 400 OpenAI answers, in the Responses error shape', () => {
  const store = new ResponsesStore();
  const request = decode({ previous_response_id: 'resp_nope', input: 'hi' });
  let thrown: unknown;
  try {
    store.expand(request);
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown instanceof ApiErrorException);
  const encoded = responsesCodec.encodeError(thrown.apiError);
  assert.equal(encoded.status, 400);
  assert.deepEqual(encoded.body, {
    error: {
      message: "Previous response with id 'resp_nope' not found.",
      type: 'invalid_request_error',
      param: 'previous_response_id',
      code: 'previous_response_not_found',
    },
  });
});

test('an expired id is refused the same way (injected clock)', () => {
  let now = 0;
  const store = new ResponsesStore({ ttlMs: 10_000, now: () => now });
  store.remember('resp_1', decode({ input: 'hi' }), answer([{ type: 'text', text: 'hello' }], 'end_turn'));
  now = 9_999;
  assert.ok(store.recall('resp_1'));
  now = 10_000;
  assert.throws(() => store.expand(decode({ previous_response_id: 'resp_1', input: 'again' })), /Previous response with id 'resp_1' not found\./);
});

test('store: false answers are never remembered (Codex), so a follow-up naming one is refused', () => {
  const store = new ResponsesStore();
  assert.equal(store.remember('resp_codex', decode({ store: false, input: 'hi' }), answer([{ type: 'text', text: 'yo' }], 'end_turn')), false);
  assert.equal(store.recall('resp_codex'), undefined);
  assert.deepEqual(store.stats, { count: 0, size: 0 });
  assert.throws(() => store.expand(decode({ previous_response_id: 'resp_codex', input: 'x' })), /not found/);
  // A store: false follow-up may still name a stored response (it is only not kept itself).
  store.remember('resp_kept', decode({ input: 'hi' }), answer([{ type: 'text', text: 'yo' }], 'end_turn'));
  const follow = decode({ previous_response_id: 'resp_kept', store: false, input: 'more' });
  assert.equal(store.expand(follow).messages.length, 3);
  assert.equal(store.remember('resp_f', store.expand(follow), [{ type: 'text', text: 'ok' }]), false);
});

test('a follow-up output answering a call no earlier turn made is a 400', () => {
  const store = new ResponsesStore();
  store.remember('resp_1', decode({ input: 'hi' }), answer([{ type: 'tool_use', id: 'call_1', name: 'exec_command', input: {} }]));
  const orphan = decode({ previous_response_id: 'resp_1', input: [{ type: 'function_call_output', call_id: 'call_9', output: 'x' }] });
  assert.throws(() => store.expand(orphan), (err: unknown) => err instanceof ApiErrorException && err.apiError.status === 400 && /call_id call_9/.test(err.apiError.message));
});

test('eviction by count and by total size: the least recently used answer goes; an answer larger than the limit is not kept', () => {
  const byCount = new ResponsesStore({ maxEntries: 2 });
  for (const id of ['resp_a', 'resp_b']) byCount.remember(id, decode({ input: id }), [{ type: 'text', text: 'ok' }]);
  assert.ok(byCount.recall('resp_a')); // a is now more recent than b
  byCount.remember('resp_c', decode({ input: 'c' }), [{ type: 'text', text: 'ok' }]);
  assert.deepEqual(['resp_a', 'resp_b', 'resp_c'].map((id) => byCount.recall(id) !== undefined), [true, false, true]);

  const big = 'x'.repeat(200);
  const probe = new ResponsesStore();
  probe.remember('resp_probe', decode({ input: big }), [{ type: 'text', text: 'ok' }]);
  const one = probe.stats.size; // UTF-8 bytes of the entry's JSON
  assert.ok(one > 200 && one < 400, `one entry: ${one} bytes`);
  const limit = Math.floor(one * 2.5);
  const bySize = new ResponsesStore({ maxSize: limit });
  bySize.remember('resp_1', decode({ input: big }), [{ type: 'text', text: 'ok' }]);
  bySize.remember('resp_2', decode({ input: big }), [{ type: 'text', text: 'ok' }]);
  assert.equal(bySize.stats.count, 2);
  bySize.remember('resp_3', decode({ input: big }), [{ type: 'text', text: 'ok' }]);
  assert.equal(bySize.recall('resp_1'), undefined);
  assert.deepEqual(bySize.stats, { count: 2, size: 2 * one });
  assert.equal(bySize.remember('resp_huge', decode({ input: 'y'.repeat(limit) }), [{ type: 'text', text: 'ok' }]), false);
  assert.ok(bySize.recall('resp_3'), 'a refused oversize answer evicts nothing');
});

test('what recall and expand hand out is a copy: changing it does not change the store', () => {
  const store = new ResponsesStore();
  store.remember('resp_1', decode({ input: 'hi' }), [{ type: 'text', text: 'hello' }]);
  const expanded = store.expand(decode({ previous_response_id: 'resp_1', input: 'again' }));
  (expanded.messages[1]!.content[0] as { text: string }).text = 'changed';
  expanded.messages.push({ role: 'user', content: [] });
  const recalled = store.recall('resp_1')!;
  assert.deepEqual(recalled.messages, [
    { role: 'user', content: [{ type: 'text', text: 'hi' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
  ]);
});

test('with no store configured, a request naming an earlier response gets a clear 400; others pass', () => {
  assert.doesNotThrow(() => refusePreviousResponseWithoutStore(decode({ input: 'hi' })));
  assert.throws(
    () => refusePreviousResponseWithoutStore(decode({ previous_response_id: 'resp_1', input: 'hi' })),
    (err: unknown) => err instanceof ApiErrorException && err.apiError.param === 'previous_response_id' && /not supported/.test(err.apiError.message),
  );
});
