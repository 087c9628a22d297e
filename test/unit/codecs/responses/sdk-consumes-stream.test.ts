/**
 * The official `openai` SDK (7.57.0) consumes a Responses stream written by Patchbay's encoder,
 * served from a loopback HTTP server: `client.responses.stream()` runs without error and
 * `finalResponse()` rebuilds the same output (reasoning summary, text, a namespaced function
 * call, a plain one), usage and a fresh `resp_` id; a max_tokens stop and an error mid-stream
 * end as the SDK expects (`incomplete` status, a thrown error).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { responsesCodec, streamErrorEventText } from '../../../../app/codecs/responses/index';
import { apiError } from '../../../../app/ir/errors';
import type { StreamEvent } from '../../../../app/ir/stream';
import { ToolNameMap } from '../../../../app/translate/tool-names';
import { sampleStream } from './ir-samples';
import { withSseServer } from './sse-server';

const ctx = () => ({ toolNames: new ToolNameMap(['multi_agent_v1.wait_agent', 'exec_command']), requestedModel: 'gpt-5-codex' });

/** Serve `events` encoded by the Responses stream encoder to one SDK call. */
function withServer<T>(events: StreamEvent[], run: (client: OpenAI, bodies: unknown[]) => Promise<T>): Promise<T> {
  const bytes = () => {
    const encoder = responsesCodec.createStreamEncoder(ctx());
    return Buffer.from(events.map((e) => encoder.encode(e)).join(''), 'utf8');
  };
  return withSseServer(bytes, (baseURL, bodies) => run(new OpenAI({ apiKey: 'pb-test', baseURL, maxRetries: 0, timeout: 10_000 }), bodies));
}

test('client.responses.stream() consumes the stream and finalResponse() rebuilds the output', async () => {
  await withServer(sampleStream(), async (client, bodies) => {
    const stream = client.responses.stream({ model: 'gpt-5-codex', input: 'make a file' });
    const seen: string[] = [];
    stream.on('event', (event) => seen.push(event.type));
    const final = await stream.finalResponse();
    assert.equal((bodies[0] as { stream?: boolean }).stream, true);

    assert.match(final.id, /^resp_[0-9A-Za-z]{48}$/);
    assert.equal(final.status, 'completed');
    assert.equal(final.model, 'gpt-5-codex');
    assert.deepEqual(final.usage && { i: final.usage.input_tokens, o: final.usage.output_tokens, t: final.usage.total_tokens, c: final.usage.input_tokens_details.cached_tokens }, { i: 150, o: 42, t: 192, c: 30 });
    const [reasoning, message, ns, plain, ...rest] = final.output;
    assert.equal(rest.length, 0);
    assert.equal(reasoning?.type, 'reasoning');
    assert.deepEqual(reasoning?.type === 'reasoning' && reasoning.summary, [{ type: 'summary_text', text: 'The user wants a file.' }]);
    assert.equal(message?.type === 'message' && message.content[0]?.type === 'output_text' && message.content[0].text, 'Creating it — now 日本.');
    assert.equal(final.output_text, 'Creating it — now 日本.');
    assert.equal(ns?.type, 'function_call');
    if (ns?.type === 'function_call') {
      assert.equal(ns.name, 'wait_agent');
      assert.equal(ns.namespace, 'multi_agent_v1');
      assert.equal(ns.call_id, 'call_ns1');
      assert.deepEqual(JSON.parse(ns.arguments), { ids: ['ag1'], timeout_ms: 500 });
    }
    assert.equal(plain?.type === 'function_call' && plain.name, 'exec_command');
    assert.equal(plain?.type === 'function_call' && plain.namespace, undefined);

    // the full sequence, sequence numbers included, in the order the SDK expects
    assert.equal(seen[0], 'response.created');
    assert.equal(seen[1], 'response.in_progress');
    assert.equal(seen.at(-1), 'response.completed');
    for (const type of ['response.content_part.added', 'response.output_text.delta', 'response.output_text.done', 'response.function_call_arguments.delta', 'response.function_call_arguments.done', 'response.reasoning_summary_text.delta', 'response.output_item.done']) {
      assert.ok(seen.includes(type), `${type} was sent`);
    }
  });
});

test('a max_tokens stop ends as response.incomplete with the reason', async () => {
  const events: StreamEvent[] = [
    { type: 'message_start', id: 'u', model: 'm', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'block_delta', index: 0, delta: { type: 'text', text: 'cut sh' } },
    { type: 'block_stop', index: 0 },
    { type: 'message_delta', stopReason: 'max_tokens', usage: { inputTokens: 5, outputTokens: 2 } },
    { type: 'message_stop' },
  ];
  await withServer(events, async (client) => {
    const stream = client.responses.stream({ model: 'm', input: 'x' });
    const types: string[] = [];
    stream.on('event', (event) => types.push(event.type));
    const final = await stream.finalResponse();
    assert.equal(types.at(-1), 'response.incomplete');
    assert.equal(final.status, 'incomplete');
    assert.equal(final.incomplete_details?.reason, 'max_output_tokens');
  });
});

test('an error mid-stream becomes response.failed carrying the code and a "try again in Ns" the SDK surfaces', async () => {
  const events: StreamEvent[] = [
    { type: 'message_start', id: 'u', model: 'm', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'block_delta', index: 0, delta: { type: 'text', text: 'half' } },
    { type: 'error', error: apiError('rate_limit', 'upstream busy', { retryAfterSeconds: 7 }) },
  ];
  await withServer(events, async (client) => {
    const stream = client.responses.stream({ model: 'm', input: 'x' });
    const types: string[] = [];
    stream.on('event', (event) => types.push(event.type));
    const result = await stream.finalResponse();
    assert.equal(types.at(-1), 'response.failed');
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.code, 'rate_limit_exceeded');
    assert.match(result.error?.message ?? '', /^upstream busy Please try again in 7s\.$/);
    // the partial text item is kept, marked incomplete, and no response.completed was sent
    assert.deepEqual(result.output.map((item) => item.type === 'message' && [item.status, item.content[0]?.type === 'output_text' && item.content[0].text]), [['incomplete', 'half']]);
    assert.ok(!types.includes('response.completed'));
  });
});

test('streamErrorEventText ends a stream under way with an error event the SDK raises, keeping the response id intact', async () => {
  const events: StreamEvent[] = [
    { type: 'message_start', id: 'u', model: 'm', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'block_delta', index: 0, delta: { type: 'text', text: 'half' } },
  ];
  const bytes = () => {
    const encoder = responsesCodec.createStreamEncoder(ctx());
    const head = events.map((e) => encoder.encode(e)).join('');
    return Buffer.from(head + streamErrorEventText(apiError('api_error', 'the upstream connection was reset', { status: 502 })), 'utf8');
  };
  await withSseServer(bytes, async (baseURL) => {
    const client = new OpenAI({ apiKey: 'pb-test', baseURL, maxRetries: 0, timeout: 10_000 });
    const stream = client.responses.stream({ model: 'm', input: 'x' });
    await assert.rejects(stream.finalResponse(), (error: Error) => /the upstream connection was reset/.test(error.message) && !/identity/.test(error.message));
  });
});
