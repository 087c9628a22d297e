/**
 * The Responses decoder carries `previous_response_id`, `store` and which system blocks are
 * `instructions` in `responsesState` (no more 400): a continued input has no leading part (its
 * developer messages stay in place, after the earlier turns) and may answer earlier calls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { responsesCodec } from '../../../app/codecs/responses/index';
import { ApiErrorException } from '../../../app/ir/errors';

const decode = (body: unknown) => responsesCodec.decodeRequest(body);

test('previous_response_id is carried, not refused; store defaults to true as at OpenAI', () => {
  const ir = decode({ model: 'm', input: 'again', previous_response_id: 'resp_1', instructions: 'be brief' });
  assert.deepEqual(ir.responsesState, { previousResponseId: 'resp_1', store: true, instructionBlocks: 1 });
  assert.deepEqual(ir.system, [{ type: 'text', text: 'be brief' }]);
});

test('Codex (store: false, no instructions, developer prompt first) is marked store: false with no previous id', () => {
  const ir = decode({ model: 'm', store: false, input: [{ role: 'developer', content: 'codex prompt' }, { role: 'user', content: 'hi' }] });
  assert.deepEqual(ir.responsesState, { store: false, instructionBlocks: 0 });
  assert.deepEqual(ir.system, [{ type: 'text', text: 'codex prompt' }]);
  assert.equal(decode({ model: 'm', input: 'x', previous_response_id: '' }).responsesState?.previousResponseId, undefined);
  assert.equal(decode({ model: 'm', input: 'x', previous_response_id: null }).responsesState?.previousResponseId, undefined);
});

test('a continued input keeps its developer messages in place and may answer calls of the earlier response', () => {
  const ir = decode({
    model: 'm',
    previous_response_id: 'resp_1',
    instructions: 'new rules',
    input: [
      { role: 'developer', content: 'mid-conversation note' },
      { type: 'function_call_output', call_id: 'call_from_resp_1', output: 'ok' },
    ],
  });
  assert.deepEqual(ir.system, [{ type: 'text', text: 'new rules' }]);
  assert.deepEqual(ir.messages, [
    { role: 'system', content: [{ type: 'text', text: 'mid-conversation note' }] },
    { role: 'user', content: [{ type: 'tool_result', toolUseId: 'call_from_resp_1', content: [{ type: 'text', text: 'ok' }], isError: false }] },
  ]);
});

test('without previous_response_id an orphan output is still a 400 naming the item', () => {
  assert.throws(
    () => decode({ model: 'm', input: [{ type: 'function_call_output', call_id: 'nope', output: 'x' }] }),
    (err: unknown) => err instanceof ApiErrorException && err.apiError.param === 'input[0].call_id',
  );
  assert.throws(() => decode({ model: 'm', input: 'x', store: 'yes' }), /store/);
});
