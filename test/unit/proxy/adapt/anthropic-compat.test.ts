import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adaptForAnthropicBackend, foldSystemMessages } from '../../../../app/proxy/adapt/anthropic-compat';

test('adaptive thinking becomes enabled with a budget below max_tokens; tiny max_tokens disables it', () => {
  const out = adaptForAnthropicBackend({ max_tokens: 8000, thinking: { type: 'adaptive' } }, false);
  const thinking = out.thinking as { type: string; budget_tokens: number };
  assert.equal(thinking.type, 'enabled');
  assert.ok(thinking.budget_tokens >= 1024 && thinking.budget_tokens < 8000);
  assert.deepEqual(adaptForAnthropicBackend({ max_tokens: 512, thinking: { type: 'adaptive' } }, false).thinking, { type: 'disabled' });
});

test('an enabled budget at or over a clamped max_tokens is lowered below it (first party too)', () => {
  const out = adaptForAnthropicBackend({ max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 31999 } }, true);
  assert.deepEqual(out.thinking, { type: 'enabled', budget_tokens: 3999 });
});

test('third-party hosts lose output_config and context_management; api.anthropic.com keeps them', () => {
  const body = { max_tokens: 100, output_config: { effort: 'high' }, context_management: { edits: [] } };
  const third = adaptForAnthropicBackend(body, false);
  assert.equal('output_config' in third, false);
  assert.equal('context_management' in third, false);
  const first = adaptForAnthropicBackend(body, true);
  assert.deepEqual(first.output_config, { effort: 'high' });
});

test('system messages fold into the next user turn after its tool results', () => {
  const folded = foldSystemMessages([
    { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'X', input: {} }] },
    { role: 'system', content: 'note A' },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'r' }, { type: 'text', text: 'more' }] },
  ]) as Array<{ role: string; content: Array<{ type: string; text?: string }> }>;
  assert.deepEqual(folded.map((m) => m.role), ['assistant', 'user']);
  assert.deepEqual(folded[1]!.content.map((b) => b.type), ['tool_result', 'text', 'text']);
  assert.equal(folded[1]!.content[1]!.text, '<system-reminder>\nnote A\n</system-reminder>');
});

test('a trailing system message joins the previous user turn, or becomes one after an assistant turn', () => {
  const afterUser = foldSystemMessages([{ role: 'user', content: 'hi' }, { role: 'system', content: [{ type: 'text', text: 'B' }] }]) as Array<{ role: string; content: unknown[] }>;
  assert.equal(afterUser.length, 1);
  assert.equal(afterUser[0]!.content.length, 2);
  const afterAssistant = foldSystemMessages([{ role: 'assistant', content: 'x' }, { role: 'system', content: 'C' }]) as Array<{ role: string }>;
  assert.deepEqual(afterAssistant.map((m) => m.role), ['assistant', 'user']);
});

test('unsigned thinking is kept for third parties, removed for api.anthropic.com', () => {
  const body = {
    messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: '' }, { type: 'thinking', thinking: 's', signature: 'sig' }, { type: 'text', text: 'x' }] }],
  };
  const kept = adaptForAnthropicBackend(body, false).messages as Array<{ content: unknown[] }>;
  assert.equal(kept[0]!.content.length, 3);
  const first = adaptForAnthropicBackend(body, true).messages as Array<{ content: Array<{ type: string; signature?: string }> }>;
  assert.deepEqual(first[0]!.content.map((b) => b.signature ?? b.type), ['sig', 'text']);
});
