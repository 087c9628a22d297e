import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyKimiChatRules, KIMI_REASONING_PLACEHOLDER } from '../../../app/translate/kimi-chat-rules';

const call = { id: 'functions.Write:0', type: 'function', function: { name: 'Write', arguments: '{}' } };

test('assistant tool-call turns without reasoning get the placeholder; real reasoning is kept', () => {
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
  const out = applyKimiChatRules(body);
  const msgs = out.messages as Array<Record<string, unknown>>;
  assert.equal(msgs[1]!.reasoning_content, KIMI_REASONING_PLACEHOLDER);
  assert.equal(msgs[3]!.reasoning_content, 'because');
  assert.equal(msgs[5]!.reasoning_content, undefined, 'plain text turns are left alone');
  assert.equal(msgs[6]!.reasoning_content, KIMI_REASONING_PLACEHOLDER, 'an empty string counts as missing');
  assert.equal((body.messages[1] as Record<string, unknown>).reasoning_content, undefined, 'the input is not mutated');
});

test('tool_choice required or named becomes auto; auto and none stay', () => {
  assert.equal(applyKimiChatRules({ messages: [], tool_choice: 'required' }).tool_choice, 'auto');
  assert.equal(applyKimiChatRules({ messages: [], tool_choice: { type: 'function', function: { name: 'Write' } } }).tool_choice, 'auto');
  assert.equal(applyKimiChatRules({ messages: [], tool_choice: 'none' }).tool_choice, 'none');
  assert.equal(applyKimiChatRules({ messages: [], tool_choice: 'auto' }).tool_choice, 'auto');
  assert.ok(!('tool_choice' in applyKimiChatRules({ messages: [] })));
});
