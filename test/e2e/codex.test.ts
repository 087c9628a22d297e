/**
 * The real Codex CLI (0.169, offline) end to end, configured with Patchbay's own config.toml
 * snippet (test/helpers/codex.ts), and Claude Code and OpenCode to a Responses backend:
 * 0. Codex -> fake OpenAI Responses API directly (no proxy): the fake accepts all Codex sends;
 * a. Codex -> proxy /v1/responses -> fake NIM (Chat): exec_command makes the file, the command's
 *    output reaches NIM tied to the call;
 * b. the same through the fake Moonshot (Anthropic);
 * c. a switch mid-session: `codex exec` on NIM, PUT /api/active moonshot, `codex exec resume --last`;
 * d. Claude Code -> proxy -> fake Responses backend writes its file;
 * e. Codex -> proxy -> fake Responses backend (pass-through);
 * f. OpenCode (Chat client) -> proxy -> fake Responses backend;
 * g. the Responses backend's 429 (retried by the proxy) and context_length_exceeded, seen by Codex.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFakeOpenAiResponses } from '../fakes/fake-openai-responses';
import type { Brain, FakeUpstream, RecordedRequest } from '../fakes/scenario';
import { describeRun, makeAgentDirs, runClaude, runOpenCode } from '../helpers/agents';
import { runCodex } from '../helpers/codex';
import { startProxy, type RunningProxy } from '../helpers/proxy';
import { removeTempDirs } from '../helpers/temp-dirs';
import { declaredTools, EXACT_BYTES, FINAL_TEXT, hasToolResult, writeFileBrain } from '../helpers/write-scenario';
import { ADMIN_TOKEN, CLIENT_TOKEN, MOONSHOT_MODEL, startRig } from './e2e-setup';

const TIMEOUT = { timeout: 300_000 };
const REASONING = 'The user wants the file written; I will call the write tool.';
const FILE = 'codex-made.txt';
const FILE_BYTES = 'héllo from codex ✓';
const OUTPUT_MARKER = 'CMD-OUTPUT-MARKER';
const COMMAND = `printf '${FILE_BYTES}' > ${FILE} && echo ${OUTPUT_MARKER}`;
const LEGAL_ID = /^[a-zA-Z0-9_-]+$/;
const OPENAI_MODEL = 'gpt-5';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire JSON as recorded

const codexBrain = (): Brain => writeFileBrain({ tool: 'exec_command', args: { cmd: COMMAND }, reasoning: true });

function rejections(requests: RecordedRequest[]): string[] {
  return requests.filter((r) => r.rejected).map((r) => `${r.path}: ${r.rejected}`);
}

function diagnosis(run: Parameters<typeof describeRun>[0], proxyOutput: string, requests: RecordedRequest[]): string {
  return `${describeRun(run)}\n--- proxy\n${proxyOutput.slice(-3000)}\n--- upstream rejections\n${rejections(requests).join('\n')}`;
}

function madeFile(workdir: string): string | undefined {
  const path = join(workdir, FILE);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** Text of a tool result's content (string, or text blocks / parts). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((b: Json) => (typeof b.text === 'string' ? b.text : '')).join('');
  return '';
}

/** Anthropic history: each tool_use's tool_result sits in the next message, tied by a legal id. */
function anthropicToolRound(messages: Json[]): { use: Json; result: Json } {
  const at = messages.findIndex((m) => Array.isArray(m.content) && m.content.some((b: Json) => b.type === 'tool_use'));
  assert.ok(at >= 0, 'history carries a tool_use');
  const use = (messages[at]!.content as Json[]).find((b) => b.type === 'tool_use')!;
  assert.match(use.id, LEGAL_ID);
  const next = messages[at + 1];
  const result = Array.isArray(next?.content) ? (next.content as Json[]).find((b) => b.type === 'tool_result' && b.tool_use_id === use.id) : undefined;
  assert.ok(result, `tool_use ${use.id} has its tool_result in the next message`);
  return { use, result };
}

test('0. Codex -> fake OpenAI Responses API directly: every request Codex sends is accepted, the command runs', TIMEOUT, async () => {
  const fake = await startFakeOpenAiResponses();
  const dirs = makeAgentDirs();
  try {
    fake.setBrain((req) => {
      const input = (req.body as Json).input as Json[];
      if (input.some((i) => i.type === 'function_call_output')) return { steps: [{ type: 'text', text: FINAL_TEXT }] };
      return { steps: [{ type: 'reasoning', text: REASONING }, { type: 'tool_call', name: 'exec_command', arguments: { cmd: COMMAND } }] };
    });
    const run = await runCodex({ prompt: 'Make the file', baseUrl: fake.url.replace(/\/v1$/, ''), token: fake.key, model: 'gpt-5-codex', dirs });
    const diag = diagnosis(run, '', fake.requests);
    assert.equal(run.code, 0, diag);
    assert.deepEqual(rejections(fake.requests), [], diag);
    assert.equal(madeFile(dirs.workdir), FILE_BYTES);
    assert.ok(run.stdout.includes(FINAL_TEXT), diag);
    const second = fake.requests.at(-1)!.body as Json;
    const echoed = (second.input as Json[]).find((i) => i.type === 'reasoning');
    assert.equal(typeof echoed?.encrypted_content, 'string', 'Codex echoes the encrypted reasoning the fake issued (and the fake verified it)');
  } finally {
    await fake.close();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});

test('a. Codex -> proxy /v1/responses -> fake NIM: exec_command makes the file, its output reaches NIM tied to the call', TIMEOUT, async () => {
  const rig = await startRig('nim');
  const dirs = makeAgentDirs();
  try {
    rig.nim.setBrain(codexBrain());
    const run = await runCodex({ prompt: 'Make the file', baseUrl: rig.proxy.url, token: CLIENT_TOKEN, model: MOONSHOT_MODEL, dirs });
    const diag = diagnosis(run, rig.proxy.output(), rig.nim.requests);
    assert.equal(run.code, 0, diag);
    assert.equal(madeFile(dirs.workdir), FILE_BYTES);
    assert.ok(run.stdout.includes(FINAL_TEXT), diag);
    assert.deepEqual(rejections(rig.nim.requests), [], diag);

    const second = rig.nim.requests.find((r) => declaredTools(r).includes('exec_command') && hasToolResult(r));
    assert.ok(second, 'NIM saw the request carrying the command output');
    const msgs = second.body.messages as Json[];
    const ai = msgs.findIndex((m) => m.role === 'assistant' && m.tool_calls?.length);
    const call = msgs[ai]!.tool_calls[0];
    assert.equal(call.id, 'functions.exec_command:0', 'the id NIM emitted comes back unchanged');
    assert.equal(call.function.name, 'exec_command');
    assert.deepEqual(JSON.parse(call.function.arguments), { cmd: COMMAND });
    assert.equal(msgs[ai]!.reasoning_content, REASONING, 'Kimi gets its reasoning back on the tool-call turn');
    const tool = msgs[ai + 1]!;
    assert.equal(tool.role, 'tool');
    assert.equal(tool.tool_call_id, call.id);
    assert.ok(textOf(tool.content).includes(OUTPUT_MARKER), `the command's output: ${JSON.stringify(tool.content)}`);
  } finally {
    await rig.close();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});

test('b. Codex -> proxy /v1/responses -> fake Moonshot: exec_command makes the file, tool_use/tool_result tied', TIMEOUT, async () => {
  const rig = await startRig('moonshot');
  const dirs = makeAgentDirs();
  try {
    rig.moonshot.setBrain(codexBrain());
    const run = await runCodex({ prompt: 'Make the file', baseUrl: rig.proxy.url, token: CLIENT_TOKEN, model: MOONSHOT_MODEL, dirs });
    const diag = diagnosis(run, rig.proxy.output(), rig.moonshot.requests);
    assert.equal(run.code, 0, diag);
    assert.equal(madeFile(dirs.workdir), FILE_BYTES);
    assert.ok(run.stdout.includes(FINAL_TEXT), diag);
    assert.deepEqual(rejections(rig.moonshot.requests), [], diag);

    const second = rig.moonshot.requests.find((r) => declaredTools(r).includes('exec_command') && hasToolResult(r));
    assert.ok(second, 'Moonshot saw the request carrying the command output');
    const { use, result } = anthropicToolRound(second.body.messages as Json[]);
    assert.equal(use.name, 'exec_command');
    assert.deepEqual(use.input, { cmd: COMMAND });
    assert.ok(textOf(result.content).includes(OUTPUT_MARKER), `the command's output: ${JSON.stringify(result.content)}`);
  } finally {
    await rig.close();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});

test('c. switch mid-session: codex exec on NIM, PUT /api/active moonshot, codex exec resume --last goes on', TIMEOUT, async () => {
  const rig = await startRig('nim');
  const dirs = makeAgentDirs();
  try {
    rig.nim.setBrain(codexBrain());
    const first = await runCodex({ prompt: 'Make the file', baseUrl: rig.proxy.url, token: CLIENT_TOKEN, model: MOONSHOT_MODEL, dirs });
    assert.equal(first.code, 0, diagnosis(first, rig.proxy.output(), rig.nim.requests));
    assert.equal(madeFile(dirs.workdir), FILE_BYTES);

    await rig.setActive('moonshot');
    const SWITCHED = 'ANSWER-FROM-MOONSHOT-AFTER-CODEX-SWITCH';
    rig.moonshot.setBrain((req) => ({ steps: [{ type: 'text', text: declaredTools(req).includes('exec_command') ? SWITCHED : 'Title' }] }));
    const second = await runCodex({ prompt: 'What did you just do?', baseUrl: rig.proxy.url, token: CLIENT_TOKEN, model: MOONSHOT_MODEL, dirs, resume: true });
    const diag = diagnosis(second, rig.proxy.output(), rig.moonshot.requests);
    assert.equal(second.code, 0, diag);
    assert.ok(second.stdout.includes(SWITCHED), diag);
    assert.deepEqual(rejections(rig.moonshot.requests), [], diag);

    const accepted = rig.moonshot.requests.find((r) => !r.rejected && hasToolResult(r));
    assert.ok(accepted, 'Moonshot accepted the history carrying the NIM-made tool round');
    const { use, result } = anthropicToolRound(accepted.body.messages as Json[]);
    assert.equal(use.name, 'exec_command');
    assert.notEqual(use.id, 'functions.exec_command:0', 'the Kimi id was made legal for Anthropic');
    assert.ok(textOf(result.content).includes(OUTPUT_MARKER));
    const lastUser = (accepted.body.messages as Json[]).at(-1)!;
    assert.ok(JSON.stringify(lastUser.content).includes('What did you just do?'), 'the resumed prompt is the last turn');
  } finally {
    await rig.close();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});

const WRITE_CALL_ID = 'call_pbE2eWrite01';

/** Claude Code's write scenario seen from a Responses backend (tools[].name, function_call_output items). */
function responsesWriteBrain(file: string): Brain {
  return (req) => {
    const body = req.body as Json;
    const tools = Array.isArray(body.tools) ? (body.tools as Json[]).map((t) => t.name) : [];
    if (!tools.includes('Write')) return { steps: [{ type: 'text', text: 'Title' }] };
    if ((body.input as Json[]).some((i) => i.type === 'function_call_output')) return { steps: [{ type: 'text', text: FINAL_TEXT }] };
    return { steps: [{ type: 'reasoning', text: REASONING }, { type: 'tool_call', name: 'Write', arguments: { file_path: file, content: EXACT_BYTES }, id: WRITE_CALL_ID }] };
  };
}

/** The real proxy with one backend: the fake OpenAI Responses API (`format: "responses"`, model gpt-5). */
async function startResponsesRig(): Promise<{ openai: FakeUpstream; proxy: RunningProxy; close(): Promise<void> }> {
  const openai = await startFakeOpenAiResponses();
  const config = {
    clientToken: CLIENT_TOKEN,
    adminToken: ADMIN_TOKEN,
    active: 'openai',
    backends: [{ id: 'openai', format: 'responses', baseUrl: openai.url, apiKey: 'env:PB_E2E_OPENAI_KEY', model: OPENAI_MODEL }],
  };
  let proxy: RunningProxy;
  try {
    proxy = await startProxy({ config, env: { PB_E2E_OPENAI_KEY: openai.key } });
  } catch (err) {
    await openai.close();
    throw err;
  }
  return {
    openai,
    proxy,
    async close() {
      await proxy.stop();
      await openai.close();
    },
  };
}

// Claude Code's metadata.user_id (150 characters) goes as its SHA-256 in safety_identifier,
// which OpenAI caps at 64 (the fake refuses longer, as the real API does: string_above_max_length).

test('d. Claude Code -> proxy -> fake OpenAI Responses backend: Write round, call and output tied by call_id, exact bytes on disk', TIMEOUT, async () => {
  const rig = await startResponsesRig();
  const { openai, proxy } = rig;
  const dirs = makeAgentDirs();
  try {
    const file = join(dirs.workdir, 'out.txt');
    openai.setBrain(responsesWriteBrain(file));
    const run = await runClaude({ prompt: 'Write the file out.txt', baseUrl: proxy.url, token: CLIENT_TOKEN, dirs });
    const diag = diagnosis(run, proxy.output(), openai.requests);
    assert.equal(run.code, 0, diag);
    assert.ok(run.stdout.includes(FINAL_TEXT), diag);
    assert.equal(readFileSync(file, 'utf8'), EXACT_BYTES);
    assert.deepEqual(rejections(openai.requests), [], diag);

    const first = openai.requests.find((r) => !r.rejected && (r.body.tools as Json[] | undefined)?.some((t) => t.name === 'Write'));
    assert.ok(first);
    assert.equal(first.headers.authorization, `Bearer ${openai.key}`, 'the upstream key, not the client token');
    const second = openai.requests.find((r) => (r.body.input as Json[] | undefined)?.some((i) => i.type === 'function_call_output'));
    assert.ok(second, 'the backend saw the request carrying the tool output');
    const input = second.body.input as Json[];
    const at = input.findIndex((i) => i.type === 'function_call');
    assert.equal(input[at]!.name, 'Write');
    assert.equal(input[at]!.call_id, WRITE_CALL_ID, 'the call_id the backend emitted comes back unchanged');
    assert.deepEqual(JSON.parse(input[at]!.arguments), { file_path: file, content: EXACT_BYTES });
    assert.equal(input[at + 1]?.type, 'function_call_output');
    assert.equal(input[at + 1]?.call_id, input[at]!.call_id);
  } finally {
    await rig.close();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});

test('e. Codex -> proxy -> fake OpenAI Responses backend (pass-through): key swapped, model mapped, encrypted reasoning round-trips intact', TIMEOUT, async () => {
  const rig = await startResponsesRig();
  const { openai, proxy } = rig;
  const dirs = makeAgentDirs();
  try {
    openai.setBrain((req) => {
      const input = (req.body as Json).input as Json[];
      if (input.some((i) => i.type === 'function_call_output')) return { steps: [{ type: 'text', text: FINAL_TEXT }] };
      return { steps: [{ type: 'reasoning', text: REASONING }, { type: 'tool_call', name: 'exec_command', arguments: { cmd: COMMAND } }] };
    });
    const run = await runCodex({ prompt: 'Make the file', baseUrl: proxy.url, token: CLIENT_TOKEN, model: MOONSHOT_MODEL, dirs });
    const diag = diagnosis(run, proxy.output(), openai.requests);
    assert.equal(run.code, 0, diag);
    assert.equal(madeFile(dirs.workdir), FILE_BYTES);
    assert.ok(run.stdout.includes(FINAL_TEXT), diag);
    assert.deepEqual(rejections(openai.requests), [], diag);
    assert.equal(openai.requests.length, 2, diag);
    for (const r of openai.requests) {
      assert.equal(r.headers.authorization, `Bearer ${openai.key}`, 'the upstream key, not the client token');
      assert.equal(r.body.model, OPENAI_MODEL, 'the model Codex named is mapped to the backend model');
    }
    const input = openai.requests[1]!.body.input as Json[];
    const reasoning = input.find((i) => i.type === 'reasoning');
    assert.equal(typeof reasoning?.encrypted_content, 'string', 'the backend got its own encrypted reasoning back (and verified it)');
    const call = input.find((i) => i.type === 'function_call')!;
    const out = input.find((i) => i.type === 'function_call_output' && i.call_id === call.call_id);
    assert.ok(textOf(out?.output).includes(OUTPUT_MARKER));
  } finally {
    await rig.close();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});

test('f. OpenCode -> proxy /v1/chat/completions -> fake OpenAI Responses backend: write round, call and output tied by call_id', TIMEOUT, async () => {
  const rig = await startResponsesRig();
  const { openai, proxy } = rig;
  const dirs = makeAgentDirs();
  try {
    const file = join(dirs.workdir, 'out.txt');
    openai.setBrain((req) => {
      const body = req.body as Json;
      const tools = Array.isArray(body.tools) ? (body.tools as Json[]).map((t) => t.name) : [];
      if (!tools.includes('write')) return { steps: [{ type: 'text', text: 'Title' }] };
      if ((body.input as Json[]).some((i) => i.type === 'function_call_output')) return { steps: [{ type: 'text', text: FINAL_TEXT }] };
      return { steps: [{ type: 'reasoning', text: REASONING }, { type: 'tool_call', name: 'write', arguments: { filePath: file, content: EXACT_BYTES }, id: WRITE_CALL_ID }] };
    });
    // OpenCode offers `apply_patch` instead of `write` to models named gpt-*: it asks for a Kimi name, mapped to gpt-5.
    const run = await runOpenCode({ prompt: 'Write the file out.txt', baseUrl: `${proxy.url}/v1`, apiKey: CLIENT_TOKEN, model: MOONSHOT_MODEL, dirs });
    const diag = diagnosis(run, proxy.output(), openai.requests);
    assert.equal(run.code, 0, diag);
    assert.ok(run.stdout.includes(FINAL_TEXT), diag);
    assert.equal(readFileSync(file, 'utf8'), EXACT_BYTES);
    assert.deepEqual(rejections(openai.requests), [], diag);
    const second = openai.requests.find((r) => (r.body.input as Json[] | undefined)?.some((i) => i.type === 'function_call_output'));
    assert.ok(second, 'the backend saw the request carrying the tool output');
    const input = second.body.input as Json[];
    const at = input.findIndex((i) => i.type === 'function_call');
    assert.equal(input[at]!.call_id, WRITE_CALL_ID);
    assert.equal(input[at + 1]?.type, 'function_call_output');
    assert.equal(input[at + 1]?.call_id, WRITE_CALL_ID);
    assert.equal(second.body.model, OPENAI_MODEL);
  } finally {
    await rig.close();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});

test('g. the Responses backend errs: a 429 with retry-after is retried by the proxy (one client request), then Codex finishes; context_length_exceeded reaches Codex as running out of room', TIMEOUT, async () => {
  const rig = await startResponsesRig();
  const { openai, proxy } = rig;
  const dirs = makeAgentDirs();
  try {
    let n = 0;
    openai.setBrain(() => (n++ === 0 ? { fail: 'rate_limit', retryAfterSeconds: 1 } : { steps: [{ type: 'text', text: FINAL_TEXT }] }));
    const limited = await runCodex({ prompt: 'Say hi', baseUrl: proxy.url, token: CLIENT_TOKEN, model: MOONSHOT_MODEL, dirs });
    assert.equal(limited.code, 0, diagnosis(limited, proxy.output(), openai.requests));
    assert.ok(limited.stdout.includes(FINAL_TEXT));
    assert.equal(n, 2, 'one refused, one answered');
    const log = await fetch(`${proxy.url}/api/requests?limit=10`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: AbortSignal.timeout(10_000) });
    const entries = ((await log.json()) as { entries?: Json[]; items?: Json[] });
    const list = entries.entries ?? entries.items ?? [];
    assert.deepEqual(list.map((e) => [e.status, e.retries]), [[200, 1]], `the proxy retried within one client request: ${JSON.stringify(list).slice(0, 1500)}`);

    const before = openai.requests.length;
    openai.setBrain(() => ({ fail: 'context_overflow' }));
    const overflow = await runCodex({ prompt: 'Say hi again', baseUrl: proxy.url, token: CLIENT_TOKEN, model: MOONSHOT_MODEL, dirs });
    const out = overflow.stdout + overflow.stderr;
    assert.notEqual(overflow.code, 0, diagnosis(overflow, proxy.output(), openai.requests));
    assert.match(out, /ran out of room in the model's context window/, diagnosis(overflow, proxy.output(), openai.requests));
    assert.equal(openai.requests.length - before, 1, 'not retried');
  } finally {
    await rig.close();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});
