/**
 * The real Codex CLI (0.169, offline) against Patchbay's Responses codec alone, on loopback: a
 * server decodes each request Codex sends with `responsesCodec.decodeRequest` (a refusal would
 * answer 400 and fail the run) and answers with streams written by the Responses stream encoder.
 * Turn 1 asks for `exec_command` creating a file (with reasoning and text before it) and for the
 * namespaced `multi_agent_v1.wait_agent`; Codex must run both (the namespace form it accepts), and turn 2 must carry the command's output tied to the call and echo turn 1's
 * reasoning, text and call so that they decode back to the same IR.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { responsesCodec } from '../../../app/codecs/responses/index';
import type { ChatRequest } from '../../../app/ir/conversation';
import { ApiErrorException } from '../../../app/ir/errors';
import type { StreamEvent } from '../../../app/ir/stream';
import { ToolNameMap } from '../../../app/translate/tool-names';
import { runCodex } from './codex-harness';

/** Events encoded by the Responses stream encoder for this request. */
function encoded(request: ChatRequest, events: StreamEvent[]): string {
  const encoder = responsesCodec.createStreamEncoder({ toolNames: ToolNameMap.fromTools(request.tools), requestedModel: request.model });
  return events.map((e) => encoder.encode(e)).join('');
}

function turnOne(): StreamEvent[] {
  const args = JSON.stringify({ cmd: 'printf hi > hello.txt' });
  return [
    { type: 'message_start', id: 'u1', model: 'm', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'thinking' } },
    { type: 'block_delta', index: 0, delta: { type: 'thinking', thinking: 'Write the file with printf.' } },
    { type: 'block_stop', index: 0 },
    { type: 'block_start', index: 1, block: { type: 'text' } },
    { type: 'block_delta', index: 1, delta: { type: 'text', text: 'Creating hello.txt.' } },
    { type: 'block_stop', index: 1 },
    { type: 'block_start', index: 2, block: { type: 'tool_use', id: 'call_pb_1', name: 'exec_command' } },
    { type: 'block_delta', index: 2, delta: { type: 'input_json', partialJson: args.slice(0, 9) } },
    { type: 'block_delta', index: 2, delta: { type: 'input_json', partialJson: args.slice(9) } },
    { type: 'block_stop', index: 2 },
    { type: 'block_start', index: 3, block: { type: 'tool_use', id: 'call_pb_2', name: 'multi_agent_v1.wait_agent' } },
    { type: 'block_delta', index: 3, delta: { type: 'input_json', partialJson: '{"targets":["no-such-agent"],"timeout_ms":10000}' } },
    { type: 'block_stop', index: 3 },
    { type: 'message_delta', stopReason: 'tool_use', usage: { inputTokens: 900, outputTokens: 30 } },
    { type: 'message_stop' },
  ];
}

function turnTwo(): StreamEvent[] {
  return [
    { type: 'message_start', id: 'u2', model: 'm', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'block_delta', index: 0, delta: { type: 'text', text: 'Done: hello.txt holds hi.' } },
    { type: 'block_stop', index: 0 },
    { type: 'message_delta', stopReason: 'end_turn', usage: { inputTokens: 950, outputTokens: 8 } },
    { type: 'message_stop' },
  ];
}

test('codex exec runs the command our stream asked for and echoes the turn back decodably', { timeout: 120_000 }, async () => {
  const decoded: ChatRequest[] = [];
  const refusals: string[] = [];
  const result = await runCodex(
    'Create hello.txt containing hi',
    (body, res) => {
      let request: ChatRequest;
      try {
        request = responsesCodec.decodeRequest(body);
      } catch (error) {
        const message = error instanceof ApiErrorException ? error.apiError.message : String(error);
        refusals.push(message);
        return void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type: 'invalid_request_error' } }));
      }
      decoded.push(request);
      const hasResult = request.messages.some((m) => m.content.some((b) => b.type === 'tool_result'));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(encoded(request, hasResult ? turnTwo() : turnOne()));
    },
    ['hello.txt'],
  );
  assert.deepEqual(refusals, [], 'every request Codex sent decodes');
  assert.equal(result.code, 0, result.out.slice(-3000));
  assert.equal(result.files['hello.txt'], 'hi');
  assert.match(result.out, /Done: hello\.txt holds hi\./);

  assert.equal(decoded.length, 2, 'two turns');
  const [first, second] = decoded as [ChatRequest, ChatRequest];
  assert.ok(first.system.length > 0 && first.tools.some((t) => t.name === 'exec_command'));
  const assistant = second.messages.find((m) => m.role === 'assistant');
  assert.deepEqual(
    assistant?.content.map((b) => (b.type === 'thinking' ? ['thinking', b.thinking] : b.type === 'text' ? ['text', b.text] : b.type === 'tool_use' ? ['tool_use', b.id, b.name, b.input] : [b.type])),
    [
      ['thinking', 'Write the file with printf.'],
      ['text', 'Creating hello.txt.'],
      ['tool_use', 'call_pb_1', 'exec_command', { cmd: 'printf hi > hello.txt' }],
      ['tool_use', 'call_pb_2', 'multi_agent_v1.wait_agent', { targets: ['no-such-agent'], timeout_ms: 10000 }],
    ],
  );
  const results = second.messages.flatMap((m) => m.content).filter((b) => b.type === 'tool_result');
  assert.deepEqual(results.map((r) => r.toolUseId), ['call_pb_1', 'call_pb_2']);
  // the namespaced call reached Codex's multi-agent tool: not refused as an unknown call
  const waitOutput = JSON.stringify(results[1]?.content);
  assert.doesNotMatch(waitOutput, /unsupported call/);
});
