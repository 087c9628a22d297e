/**
 * Realistic wire bodies of each format: the recorded agent requests (Claude Code, OpenCode,
 * Codex), hand-shaped edge cases (tool calls whose arguments are not JSON, nested tool results,
 * Responses items of every type), and generated IR encoded by the format's own codec. Then the
 * same, damaged (json-mutation.ts).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { WireFormat } from '../../../app/codecs/codec';
import { codecFor } from '../../../app/codecs/registry';
import { ToolNameMap } from '../../../app/translate/tool-names';
import { damaged } from './json-mutation';
import { irRequest, irResponse, text } from './ir';

/** A response id the property tests remember before they run, so follow-ups to it are served. */
export const KNOWN_RESPONSE_ID = 'resp_known_to_the_store';

const fixture = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8'));

const RECORDED: Record<WireFormat, unknown[]> = {
  anthropic: [fixture('anthropic/claude-code-request.json')],
  openai: [fixture('openai/opencode-request.json')],
  responses: [fixture('responses/codex-request.json')],
};

const badArguments = (): fc.Arbitrary<string> => fc.oneof(fc.constantFrom('{bad', '', 'null', '[1,2]', '"str"', '{"a":1}{"b":2}', '{"cmd":"ls"', '\ud800'), fc.string({ maxLength: 20 }));

/** Shapes the generators of IR cannot make: what only a broken or odd client sends. */
function handShaped(format: WireFormat): fc.Arbitrary<unknown> {
  switch (format) {
    case 'anthropic':
      return fc.record({
        model: fc.constant('claude-sonnet-4-6'),
        max_tokens: fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.constant(1e20)),
        stream: fc.boolean(),
        messages: fc.constant([
          { role: 'user', content: 'run it' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: 'ls -la' }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'tool_result', content: 'nested' }], is_error: 'yes' }] },
          { role: 'system', content: [{ type: 'text', text: '' }] },
        ]),
      });
    case 'openai':
      return fc.record({
        model: fc.constant('gpt-4o'),
        stream: fc.boolean(),
        stream_options: fc.constantFrom({ include_usage: true }, null, 'yes'),
        messages: badArguments().map((args) => [
          { role: 'developer', content: [{ type: 'text', text: 'be brief' }] },
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,@@@' } }] },
          { role: 'assistant', content: null, reasoning_content: 'hm', tool_calls: [{ id: 'functions.Write:0', type: 'function', function: { name: 'Write', arguments: args } }] },
          { role: 'tool', tool_call_id: 'functions.Write:0', content: [{ type: 'text', text: 'ok' }] },
        ]),
        tools: fc.constant([{ type: 'function', function: { name: 'Write', parameters: { type: 'object' } } }]),
      });
    case 'responses':
      return fc.record({
        model: fc.constant('gpt-5-codex'),
        stream: fc.boolean(),
        store: fc.boolean(),
        instructions: text(),
        previous_response_id: fc.constantFrom(undefined, 'resp_missing', '', KNOWN_RESPONSE_ID),
        text: fc.constantFrom(undefined, { format: { type: 'json_schema', name: 'title', schema: { type: 'object' }, strict: true } }, { format: { type: 'text' } }),
        input: badArguments().map((args) => [
          { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'sys' }] },
          { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: 'x' }] },
          { type: 'reasoning', id: 'rs_1', summary: [], content: [{ type: 'reasoning_text', text: 'hm' }], encrypted_content: 'enc' },
          { type: 'function_call', name: 'wait_agent', namespace: 'multi_agent_v1', call_id: 'call_1', arguments: args },
          { type: 'function_call_output', call_id: 'call_1', output: [{ type: 'input_text', text: 'done' }] },
          { type: 'item_reference', id: 'msg_1' },
        ]),
        tools: fc.constant([{ type: 'namespace', name: 'multi_agent_v1', tools: [{ type: 'function', name: 'wait_agent', parameters: {} }] }, { type: 'web_search' }]),
      });
  }
}

/** A valid-looking client request body of `format`. */
export function validRequestBody(format: WireFormat): fc.Arbitrary<unknown> {
  const codec = codecFor(format);
  const encoded = irRequest().map((ir) => {
    try {
      return codec.encodeRequest(ir, { model: ir.model }, { toolNames: ToolNameMap.fromTools(ir.tools), requestedModel: ir.model });
    } catch {
      return { model: ir.model, messages: [] }; // the IR itself was refused: still a body to send
    }
  });
  return fc.oneof({ weight: 3, arbitrary: encoded }, { weight: 2, arbitrary: fc.constantFrom(...RECORDED[format]) }, { weight: 2, arbitrary: handShaped(format) });
}

/** A client request body of `format`, damaged or not. */
export const requestBody = (format: WireFormat): fc.Arbitrary<unknown> => damaged(validRequestBody(format));

/** A whole (non-streamed) upstream response body of `format`, damaged or not. */
export function responseBody(format: WireFormat): fc.Arbitrary<unknown> {
  const codec = codecFor(format);
  const ctx = { toolNames: new ToolNameMap([]), requestedModel: 'm' };
  return damaged(irResponse().map((r) => codec.encodeResponse(r, ctx)));
}
