/** Structural rules every decoded IR request must follow, whatever format it came from. */
import assert from 'node:assert/strict';
import type { ChatRequest } from '../../../../app/ir/conversation';

export function assertWellFormedRequest(request: ChatRequest): void {
  assert.ok(request.model.length > 0, 'model');
  for (const block of request.system) assert.equal(block.type, 'text', 'system prompt is text');
  const calls = new Set<string>();
  const names = new Set(request.tools.map((t) => t.name));
  assert.equal(names.size, request.tools.length, 'tool names are unique');
  request.messages.forEach((message, i) => {
    assert.ok(['user', 'assistant', 'system'].includes(message.role), `messages[${i}].role`);
    for (const block of message.content) {
      if (block.type === 'tool_use') {
        assert.equal(message.role, 'assistant', `messages[${i}]: tool_use only in assistant turns`);
        assert.ok(block.id.length > 0 && block.name.length > 0, `messages[${i}]: tool_use id and name`);
        assert.equal(typeof block.input, 'object');
        calls.add(block.id);
      }
      if (block.type === 'tool_result') {
        assert.equal(message.role, 'user', `messages[${i}]: tool_result only in user turns`);
        assert.ok(calls.has(block.toolUseId), `messages[${i}]: tool_result ${block.toolUseId} answers an earlier call`);
        assert.ok(block.content.length > 0, `messages[${i}]: tool_result never empty`);
      }
    }
  });
  for (const tool of request.tools) assert.equal(typeof tool.inputSchema, 'object', `tool ${tool.name} has a schema`);
}
