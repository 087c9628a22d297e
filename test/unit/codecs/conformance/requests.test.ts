/**
 * Conformance, requests: every codec decodes its recorded client requests into a well-formed IR,
 * and the canonical IR request survives encode (backend side) -> decode (client side) of each
 * format: system prompt, turns, text, tool call and result, tools, tool choice, max tokens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ChatRequest } from '../../../../app/ir/conversation';
import { canonicalRequest } from './canonical-ir';
import { CODEC_CASES, contextFor, fixtureUrl } from './codec-cases';
import { assertWellFormedRequest } from './ir-checks';

/** Consecutive turns of one role as one (Anthropic requires alternation and merges them). */
function mergedTurns(request: ChatRequest): ChatRequest['messages'] {
  const out: ChatRequest['messages'] = [];
  for (const m of request.messages) {
    const last = out.at(-1);
    if (last && last.role === m.role && m.role !== 'system') last.content = [...last.content, ...m.content];
    else out.push({ role: m.role, content: [...m.content] });
  }
  return out;
}

/** What a request must keep through any format. */
function essentials(request: ChatRequest): unknown {
  return {
    system: request.system.map((b) => b.text).join('\n\n'),
    messages: mergedTurns(request).map((m) => ({
      role: m.role,
      content: m.content.map((b) => (b.type === 'tool_result' ? { ...b, content: b.content.map((c) => (c.type === 'text' ? c.text : c.type)) } : b)),
    })),
    tools: request.tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
    toolChoice: request.toolChoice,
    maxTokens: request.maxTokens,
    stream: request.stream,
  };
}

for (const [format, c] of Object.entries(CODEC_CASES)) {
  test(`${format}: recorded client requests decode to a well-formed IR`, () => {
    for (const path of c.requestFixtures) {
      const body: unknown = JSON.parse(readFileSync(fixtureUrl(path), 'utf8'));
      const request = c.codec.decodeRequest(body);
      assertWellFormedRequest(request);
      assert.ok(request.messages.length > 0, `${path}: has messages`);
      assert.ok(request.tools.length > 0, `${path}: has tools`);
    }
  });

  test(`${format}: the canonical IR request survives encodeRequest -> decodeRequest`, () => {
    const ir = canonicalRequest();
    const ctx = contextFor(c);
    const wire = c.codec.encodeRequest(ir, { model: 'upstream-model' }, ctx);
    const again = c.codec.decodeRequest(JSON.parse(JSON.stringify(wire)));
    assertWellFormedRequest(again);
    assert.equal(again.model, 'upstream-model');
    assert.deepEqual(essentials(again), essentials(ir));
  });
}
