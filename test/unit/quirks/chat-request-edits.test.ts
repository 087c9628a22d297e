import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChatRequestQuirks, REASONING_PLACEHOLDER } from '../../../app/quirks/chat-request-edits';

const call = { id: 'functions.Write:0', type: 'function', function: { name: 'Write', arguments: '{}' } };
const both = { echoReasoning: true, noForcedToolChoice: true };

test('echoReasoning: assistant tool-call turns without reasoning get the placeholder; real reasoning is kept', () => {
  const body = {
    model: 'moonshotai/kimi-k2.6',
    messages: [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: call.id, content: 'ok' },
      { role: 'assistant', content: null, reasoning_content: 'because', tool_calls: [call] },
      { role: 'tool', tool_call_id: call.id, content: 'ok' },
      { role: 'assistant', content: 'done' },
      { role: 'assistant', content: null, reasoning_content: '', tool_calls: [call] },
    ],
  };
  const out = applyChatRequestQuirks(body, { echoReasoning: true });
  const msgs = out.messages as Array<Record<string, unknown>>;
  assert.equal(msgs[1]!.reasoning_content, REASONING_PLACEHOLDER);
  assert.equal(msgs[3]!.reasoning_content, 'because');
  assert.equal(msgs[5]!.reasoning_content, undefined, 'plain text turns are left alone');
  assert.equal(msgs[6]!.reasoning_content, REASONING_PLACEHOLDER, 'an empty string counts as missing');
  assert.equal((body.messages[1] as Record<string, unknown>).reasoning_content, undefined, 'the input is not mutated');
});

test('noForcedToolChoice: tool_choice required or named becomes auto; auto and none stay', () => {
  const q = { noForcedToolChoice: true };
  assert.equal(applyChatRequestQuirks({ messages: [], tool_choice: 'required' }, q).tool_choice, 'auto');
  assert.equal(applyChatRequestQuirks({ messages: [], tool_choice: { type: 'function', function: { name: 'Write' } } }, q).tool_choice, 'auto');
  assert.equal(applyChatRequestQuirks({ messages: [], tool_choice: 'none' }, q).tool_choice, 'none');
  assert.equal(applyChatRequestQuirks({ messages: [], tool_choice: 'auto' }, q).tool_choice, 'auto');
  assert.ok(!('tool_choice' in applyChatRequestQuirks({ messages: [] }, both)));
});

test('without quirks the body is returned as is', () => {
  const body = { messages: [{ role: 'assistant', content: null, tool_calls: [call] }], tool_choice: 'required' };
  assert.equal(applyChatRequestQuirks(body, {}), body);
  assert.equal(applyChatRequestQuirks(body, { echoReasoning: false, noForcedToolChoice: false }), body);
});
