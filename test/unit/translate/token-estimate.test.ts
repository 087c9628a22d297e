import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../../../app/ir/conversation';
import { IMAGE_TOKENS, MESSAGE_OVERHEAD_TOKENS, TOOL_OVERHEAD_TOKENS, estimateRequestTokens } from '../../../app/translate/token-estimate';

const base: ChatRequest = { model: 'm', system: [], messages: [], tools: [], stream: false };

test('about four characters a token for text, plus a per-message overhead', () => {
  const req: ChatRequest = { ...base, system: [{ type: 'text', text: 'a'.repeat(400) }], messages: [{ role: 'user', content: [{ type: 'text', text: 'b'.repeat(800) }] }] };
  assert.equal(estimateRequestTokens(req), 300 + MESSAGE_OVERHEAD_TOKENS);
});

test('images cost a fixed amount, also inside tool results', () => {
  const image = { type: 'image' as const, source: { kind: 'base64' as const, mediaType: 'image/png', data: 'x'.repeat(100_000) } };
  const req: ChatRequest = {
    ...base,
    messages: [
      { role: 'user', content: [image, { type: 'tool_result', toolUseId: 't', content: [image], isError: false }] },
    ],
  };
  assert.equal(estimateRequestTokens(req), 2 * IMAGE_TOKENS + MESSAGE_OVERHEAD_TOKENS + 1);
});

test('tools and tool inputs count by their JSON; deterministic; grows with content', () => {
  const tool = { name: 'Bash', description: 'Run a command', inputSchema: { type: 'object', properties: { command: { type: 'string' } } } };
  const withTool: ChatRequest = { ...base, tools: [tool] };
  const expected = Math.ceil((4 + 13 + JSON.stringify(tool.inputSchema).length) / 4) + TOOL_OVERHEAD_TOKENS;
  assert.equal(estimateRequestTokens(withTool), expected);
  const call: ChatRequest = {
    ...base,
    messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'id', name: 'Bash', input: { command: 'x'.repeat(1000) } }] }],
  };
  const n = estimateRequestTokens(call);
  assert.ok(n > 250 && n < 270, String(n));
  assert.equal(estimateRequestTokens(call), n);
  assert.equal(estimateRequestTokens(base), 0);
});
