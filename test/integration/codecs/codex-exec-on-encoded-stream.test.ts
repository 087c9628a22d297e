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
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { responsesCodec } from '../../../app/codecs/responses/index';
import type { ChatRequest } from '../../../app/ir/conversation';
import { ApiErrorException } from '../../../app/ir/errors';
import type { StreamEvent } from '../../../app/ir/stream';
import { ToolNameMap } from '../../../app/translate/tool-names';

const CODEX = resolve(import.meta.dirname, '../../../node_modules/.bin/codex');
const TOKEN = 'pb-client-codex-test-token';

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

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

test('codex exec runs the command our stream asked for and echoes the turn back decodably', { timeout: 120_000 }, async () => {
  const decoded: ChatRequest[] = [];
  const refusals: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (b: Buffer) => (raw += b.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/responses')) return res.writeHead(404).end();
      let request: ChatRequest;
      try {
        request = responsesCodec.decodeRequest(JSON.parse(raw));
      } catch (error) {
        const message = error instanceof ApiErrorException ? error.apiError.message : String(error);
        refusals.push(message);
        return res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type: 'invalid_request_error' } }));
      }
      decoded.push(request);
      const hasResult = request.messages.some((m) => m.content.some((b) => b.type === 'tool_result'));
      const encoder = responsesCodec.createStreamEncoder({ toolNames: ToolNameMap.fromTools(request.tools), requestedModel: request.model });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end((hasResult ? turnTwo() : turnOne()).map((e) => encoder.encode(e)).join(''));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const home = mkdtempSync(join(tmpdir(), 'pb-codex-home-'));
  const work = mkdtempSync(join(tmpdir(), 'pb-codex-work-'));
  try {
    const { port } = server.address() as AddressInfo;
    const codexHome = join(home, '.codex');
    mkdirSync(codexHome);
    writeFileSync(
      join(codexHome, 'config.toml'),
      ['model = "kimi-k2.6"', 'model_provider = "patchbay"', '[model_providers.patchbay]', 'name = "Patchbay"', `base_url = "http://127.0.0.1:${port}/v1"`, 'env_key = "PATCHBAY_TOKEN"', 'wire_api = "responses"', ''].join('\n'),
    );
    const result = await run(CODEX, ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', 'Create hello.txt containing hi'], {
      cwd: work,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CODEX_HOME: codexHome, PATCHBAY_TOKEN: TOKEN, NO_COLOR: '1', TERM: 'dumb' },
      timeoutMs: 100_000,
    });
    assert.deepEqual(refusals, [], 'every request Codex sent decodes');
    assert.equal(result.code, 0, result.out.slice(-3000));
    assert.equal(readFileSync(join(work, 'hello.txt'), 'utf8'), 'hi');
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
    console.log('wait_agent output:', waitOutput.slice(0, 300));
    assert.doesNotMatch(waitOutput, /unsupported call/);
    assert.ok(existsSync(join(work, 'hello.txt')));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
});
