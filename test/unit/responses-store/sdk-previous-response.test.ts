/**
 * The official `openai` SDK chains three turns by `previous_response_id` through a loopback server
 * wired as the proxy path should be (decode -> store.expand -> answer -> store.remember, whole
 * bodies and streams, the streamed answer rebuilt by StreamCollector): the model side receives
 * the whole conversation in order with every call tied to its output, and an unknown id reaches
 * the SDK as OpenAI's 400 (`BadRequestError`, code previous_response_not_found).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { responsesCodec } from '../../../app/codecs/responses/index';
import type { ChatRequest } from '../../../app/ir/conversation';
import { ApiErrorException } from '../../../app/ir/errors';
import type { StreamEvent } from '../../../app/ir/stream';
import { ToolNameMap } from '../../../app/translate/tool-names';
import { ResponsesStore, StreamCollector } from '../../../app/responses-store/index';

const MODEL = 'gpt-x';
const usage = { inputTokens: 10, outputTokens: 5 };

function callStream(calls: Array<{ id: string; args: string }>): StreamEvent[] {
  const events: StreamEvent[] = [{ type: 'message_start', id: 'up', model: 'kimi', usage: { inputTokens: 0, outputTokens: 0 } }];
  calls.forEach((call, index) => {
    events.push({ type: 'block_start', index, block: { type: 'tool_use', id: call.id, name: 'exec_command' } });
    events.push({ type: 'block_delta', index, delta: { type: 'input_json', partialJson: call.args.slice(0, 5) } });
    events.push({ type: 'block_delta', index, delta: { type: 'input_json', partialJson: call.args.slice(5) } });
    events.push({ type: 'block_stop', index });
  });
  events.push({ type: 'message_delta', stopReason: 'tool_use', usage }, { type: 'message_stop' });
  return events;
}

function textStream(text: string): StreamEvent[] {
  return [
    { type: 'message_start', id: 'up', model: 'kimi', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'block_delta', index: 0, delta: { type: 'text', text } },
    { type: 'block_stop', index: 0 },
    { type: 'message_delta', stopReason: 'end_turn', usage },
    { type: 'message_stop' },
  ];
}

/** The model's scripted answers, one per request, as IR streams. */
const SCRIPT: StreamEvent[][] = [
  callStream([{ id: 'call_1', args: '{"cmd":"touch a.txt"}' }]),
  callStream([
    { id: 'call_2', args: '{"cmd":"ls"}' },
    { id: 'call_3', args: '{"cmd":"cat a.txt"}' },
  ]),
  textStream('All done.'),
];

/** What the proxy path does for a Responses client, with the store; `seen` gets each expanded request. */
async function withStoreServer(run: (client: OpenAI, seen: ChatRequest[]) => Promise<void>): Promise<void> {
  const store = new ResponsesStore();
  const seen: ChatRequest[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (piece: Buffer) => (raw += piece.toString('utf8')));
    req.on('end', () => {
      let request: ChatRequest;
      try {
        request = store.expand(responsesCodec.decodeRequest(JSON.parse(raw)));
      } catch (err) {
        if (!(err instanceof ApiErrorException)) throw err;
        const encoded = responsesCodec.encodeError(err.apiError);
        res.writeHead(encoded.status, { 'content-type': 'application/json', ...encoded.headers }).end(JSON.stringify(encoded.body));
        return;
      }
      seen.push(request);
      const events = SCRIPT[seen.length - 1]!;
      const ctx = { toolNames: ToolNameMap.fromTools(request.tools), requestedModel: request.model };
      const collector = new StreamCollector();
      for (const event of events) collector.push(event);
      const answer = collector.response()!;
      if (!request.stream) {
        const body = responsesCodec.encodeResponse(answer, ctx);
        store.remember(body.id as string, request, answer);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        return;
      }
      const encoder = responsesCodec.createStreamEncoder(ctx);
      const text = events.map((e) => encoder.encode(e)).join('');
      const created = /^event: response\.created\ndata: (.*)$/m.exec(text)!;
      store.remember((JSON.parse(created[1]!) as { response: { id: string } }).response.id, request, answer);
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await run(new OpenAI({ apiKey: 'pb-test', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0, timeout: 10_000 }), seen);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const tools = [{ type: 'function' as const, name: 'exec_command', strict: false, parameters: { type: 'object', properties: { cmd: { type: 'string' } } } }];

test('the openai SDK chains three turns by previous_response_id (whole, streamed, whole): the model sees the whole conversation', async () => {
  await withStoreServer(async (client, seen) => {
    const first = await client.responses.create({ model: MODEL, instructions: 'be brief', input: 'make a.txt', tools });
    const call1 = first.output.find((item) => item.type === 'function_call');
    assert.equal(call1?.type === 'function_call' && call1.call_id, 'call_1');

    const second = await client.responses
      .stream({ model: MODEL, previous_response_id: first.id, tools, input: [{ type: 'function_call_output', call_id: 'call_1', output: 'created' }] })
      .finalResponse();
    assert.notEqual(second.id, first.id);
    const calls = second.output.flatMap((item) => (item.type === 'function_call' ? [item.call_id] : []));
    assert.deepEqual(calls, ['call_2', 'call_3']);

    const third = await client.responses.create({
      model: MODEL,
      previous_response_id: second.id,
      tools,
      input: [
        { type: 'function_call_output', call_id: 'call_2', output: 'a.txt' },
        { type: 'function_call_output', call_id: 'call_3', output: '(empty)' },
        { role: 'user', content: 'thanks' },
      ],
    });
    assert.equal(third.output_text, 'All done.');

    const last = seen[2]!;
    assert.deepEqual(last.system, [], 'turn 1 instructions are not inherited (OpenAI)');
    assert.deepEqual(
      last.messages.map((m) => m.content.map((b) => (b.type === 'text' ? `${m.role}:${b.text}` : b.type === 'tool_use' ? `call:${b.id}:${JSON.stringify(b.input)}` : b.type === 'tool_result' ? `result:${b.toolUseId}` : b.type))),
      [
        ['user:make a.txt'],
        ['call:call_1:{"cmd":"touch a.txt"}'],
        ['result:call_1'],
        ['call:call_2:{"cmd":"ls"}', 'call:call_3:{"cmd":"cat a.txt"}'],
        ['result:call_2', 'result:call_3'],
        ['user:thanks'],
      ],
    );
    assert.deepEqual(seen[1]!.system.map((b) => b.text), []);
    assert.equal(seen[0]!.system[0]?.text, 'be brief');
  });
});

test('an unknown previous_response_id reaches the SDK as OpenAI 400 previous_response_not_found', async () => {
  await withStoreServer(async (client) => {
    await assert.rejects(
      client.responses.create({ model: MODEL, previous_response_id: 'resp_unknown', input: 'hi' }),
      (err: unknown) => {
        assert.ok(err instanceof OpenAI.BadRequestError);
        assert.equal(err.status, 400);
        assert.equal(err.code, 'previous_response_not_found');
        assert.equal(err.param, 'previous_response_id');
        assert.match(err.message, /Previous response with id 'resp_unknown' not found\./);
        return true;
      },
    );
  });
});
