/**
 * The official `openai` SDK consumes Responses streams translated from each backend format's
 * recorded stream: NIM (Chat Completions, Kimi reasoning and two calls), Anthropic Messages
 * (thinking with a signature, text, two calls) and a Responses backend (summary parts, a
 * namespaced call): backend SSE -> that codec's decoder -> IR -> the Responses encoder -> a
 * loopback server -> `client.responses.stream().finalResponse()`, which must hold the same
 * reasoning, text and calls as the IR.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import type { WireCodec } from '../../../../app/codecs/codec';
import { anthropicCodec } from '../../../../app/codecs/anthropic/index';
import { openaiCodec } from '../../../../app/codecs/openai/index';
import { responsesCodec } from '../../../../app/codecs/responses/index';
import { splitNamespacedName } from '../../../../app/codecs/responses/tool-namespaces';
import type { StreamEvent } from '../../../../app/ir/stream';
import { ToolNameMap } from '../../../../app/translate/tool-names';
import { decodeBytes } from '../conformance/sse';
import { withSseServer } from './sse-server';

const ctx = () => ({ toolNames: new ToolNameMap(['Write', 'Bash', 'exec_command', 'multi_agent_v1.wait_agent']), requestedModel: 'gpt-5-codex' });

interface Expected {
  reasoning: string[];
  text: string[];
  calls: Array<{ call_id: string; name: string; namespace: string | undefined; input: unknown }>;
}

/** What the IR says the final response must hold. */
function expectedOf(events: StreamEvent[]): Expected {
  const out: Expected = { reasoning: [], text: [], calls: [] };
  let kind = '';
  let buffer = '';
  let call: { id: string; name: string } | undefined;
  for (const e of events) {
    if (e.type === 'block_start') {
      kind = e.block.type;
      buffer = '';
      call = e.block.type === 'tool_use' ? { id: e.block.id, name: e.block.name } : undefined;
    } else if (e.type === 'block_delta') {
      buffer += e.delta.type === 'text' ? e.delta.text : e.delta.type === 'thinking' ? e.delta.thinking : e.delta.type === 'input_json' ? e.delta.partialJson : '';
    } else if (e.type === 'block_stop') {
      if (kind === 'thinking') out.reasoning.push(buffer);
      if (kind === 'text') out.text.push(buffer);
      if (kind === 'tool_use' && call) {
        const { name, namespace } = splitNamespacedName(call.name);
        out.calls.push({ call_id: call.id, name, namespace, input: JSON.parse(buffer === '' ? '{}' : buffer) });
      }
    }
  }
  return out;
}

const BACKENDS: Array<[string, WireCodec, string]> = [
  ['a Chat Completions backend (NIM, Kimi)', openaiCodec, 'openai/nim-kimi-stream.sse'],
  ['an Anthropic backend', anthropicCodec, 'anthropic/stream-text-thinking-tools.sse'],
  ['a Responses backend', responsesCodec, 'responses/openai-stream.sse'],
];

for (const [label, codec, fixture] of BACKENDS) {
  test(`the SDK rebuilds the answer of ${label} from Patchbay's Responses stream`, async () => {
    const upstream = readFileSync(new URL(`../../../fixtures/${fixture}`, import.meta.url));
    const ir = decodeBytes(codec.createStreamDecoder(ctx()), [upstream]);
    assert.equal(ir.at(-1)?.type, 'message_stop');
    const expected = expectedOf(ir);
    assert.ok(expected.calls.length >= 2 && expected.text.length >= 1 && expected.reasoning.length >= 1, 'the fixture has reasoning, text and calls');

    const bytes = () => {
      const encoder = responsesCodec.createStreamEncoder(ctx());
      return Buffer.from(ir.map((e) => encoder.encode(e)).join(''), 'utf8');
    };
    await withSseServer(bytes, async (baseURL) => {
      const client = new OpenAI({ apiKey: 'pb-test', baseURL, maxRetries: 0, timeout: 10_000 });
      const final = await client.responses.stream({ model: 'gpt-5-codex', input: 'go' }).finalResponse();
      assert.equal(final.status, 'completed');
      assert.match(final.id, /^resp_/);
      const got: Expected = { reasoning: [], text: [], calls: [] };
      for (const item of final.output) {
        if (item.type === 'reasoning') got.reasoning.push(item.summary.map((s) => s.text).join(''));
        if (item.type === 'message') got.text.push(item.content.map((c) => (c.type === 'output_text' ? c.text : '')).join(''));
        if (item.type === 'function_call') got.calls.push({ call_id: item.call_id, name: item.name, namespace: item.namespace, input: JSON.parse(item.arguments) });
      }
      assert.deepEqual(got, expected);
      assert.ok(final.usage && final.usage.total_tokens === final.usage.input_tokens + final.usage.output_tokens);
    });
  });
}
