/**
 * Quirk profiles follow the model actually used (issue 6, point 1), with the real Claude Code
 * CLI -> the real proxy (child process) -> the fake NIM, and a config WITHOUT any quirk flag:
 * a. `moonshotai/kimi-k2.6`: Kimi's reasoning is echoed on the tool-call turn (the fake, like
 *    real Kimi with thinking, refuses that turn without it); the banner and `GET /api/state`
 *    name the profile.
 * b. Kimi writes its tool call as text (`<|tool_calls_section_begin|>...`): it reaches Claude
 *    Code as a real tool call and the file is written.
 * c. The backend's main model is not Kimi, its small model is; the request picks
 *    `nim/moonshotai/kimi-k2.6` (the small model, through the backend prefix): the profile
 *    follows the request's model, not the backend's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NIM_MODELS, startFakeNim } from '../fakes/fake-nim';
import type { Brain, FakeUpstream, RecordedRequest } from '../fakes/scenario';
import { describeRun, makeAgentDirs, runClaude, type AgentDirs } from '../helpers/agents';
import { startProxy, type RunningProxy } from '../helpers/proxy';
import { removeTempDirs } from '../helpers/temp-dirs';
import { declaredTools, EXACT_BYTES, FINAL_TEXT, hasToolResult, writeFileBrain } from '../helpers/write-scenario';

const CLIENT_TOKEN = 'pb-client-e2e-quirks-0123456789';
const ADMIN_TOKEN = 'pb-admin-e2e-quirks-0123456789';
const REASONING = 'The user wants the file written; I will call the write tool.';
const LLAMA = 'meta/llama-3.3-70b-instruct';

type OpenAiMessage = { role: string; content?: unknown; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>; tool_call_id?: string; reasoning_content?: string };

interface Rig {
  nim: FakeUpstream;
  proxy: RunningProxy;
  dirs: AgentDirs;
  file: string;
  close(): Promise<void>;
}

/** Fake NIM + proxy whose only backend has no `quirks`, `kimi` or `fixedSampling` field. */
async function startRig(models: { model: string; smallModel?: string }): Promise<Rig> {
  const nim = await startFakeNim({ models: [...NIM_MODELS, LLAMA] });
  const backend = { id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:PB_E2E_NIM_KEY', ...models };
  let proxy: RunningProxy;
  try {
    proxy = await startProxy({
      config: { clientToken: CLIENT_TOKEN, adminToken: ADMIN_TOKEN, active: 'nim', backends: [backend] },
      env: { PB_E2E_NIM_KEY: nim.key },
    });
  } catch (err) {
    await nim.close();
    throw err;
  }
  const dirs = makeAgentDirs();
  return {
    nim,
    proxy,
    dirs,
    file: join(dirs.workdir, 'out.txt'),
    async close() {
      await proxy.stop();
      await nim.close();
      removeTempDirs(dirs.home, dirs.workdir);
    },
  };
}

/** `quirksInForce` of each backend in `GET /api/state`. */
async function quirksInState(rig: Rig): Promise<Record<string, unknown>> {
  const res = await fetch(`${rig.proxy.url}/api/state`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200);
  const state = (await res.json()) as { backends: Array<{ id: string; quirksInForce?: unknown }> };
  return Object.fromEntries(state.backends.map((b) => [b.id, b.quirksInForce]));
}

function rejections(requests: RecordedRequest[]): string[] {
  return requests.filter((r) => r.rejected).map((r) => `${r.path} (model ${String(r.body?.model)}): ${r.rejected}`);
}

function diagnosis(rig: Rig, run: Parameters<typeof describeRun>[0]): string {
  return `${describeRun(run)}\n--- proxy\n${rig.proxy.output().slice(-3000)}\n--- nim rejections\n${rejections(rig.nim.requests).join('\n')}`;
}

/** The assistant tool-call turn NIM got back with the tool's result (turn 2). */
function toolCallTurn(rig: Rig): { assistant: OpenAiMessage; next: OpenAiMessage | undefined; model: unknown } {
  const second = rig.nim.requests.find((r) => !r.rejected && declaredTools(r).includes('Write') && hasToolResult(r));
  assert.ok(second, 'NIM accepted a request carrying the tool result');
  const msgs = second.body.messages as OpenAiMessage[];
  const at = msgs.findIndex((m) => m.role === 'assistant' && m.tool_calls?.length);
  assert.ok(at >= 0, 'the assistant tool-call turn is in the history');
  return { assistant: msgs[at]!, next: msgs[at + 1], model: second.body.model };
}

test('a. no quirk flag, model moonshotai/kimi-k2.6: reasoning echoed on turn 2, file written, banner names the profile', { timeout: 240_000 }, async () => {
  const rig = await startRig({ model: 'moonshotai/kimi-k2.6' });
  try {
    assert.match(rig.proxy.output(), /Active backend: nim \(moonshotai\/kimi-k2\.6, quirks: kimi\)/);
    assert.deepEqual(await quirksInState(rig), { nim: 'kimi' });
    rig.nim.setBrain(writeFileBrain({ tool: 'Write', args: { file_path: rig.file, content: EXACT_BYTES }, reasoning: true }));
    const run = await runClaude({ prompt: 'Write the file out.txt', baseUrl: rig.proxy.url, token: CLIENT_TOKEN, dirs: rig.dirs });
    const diag = diagnosis(rig, run);
    assert.equal(run.code, 0, diag);
    assert.ok(run.stdout.includes(FINAL_TEXT), diag);
    assert.equal(readFileSync(rig.file, 'utf8'), EXACT_BYTES);
    assert.deepEqual(rejections(rig.nim.requests), [], diag);
    const { assistant, next } = toolCallTurn(rig);
    assert.equal(assistant.reasoning_content, REASONING, 'Kimi got its own reasoning back on the tool-call turn');
    assert.equal(next?.role, 'tool');
    assert.equal(next?.tool_call_id, assistant.tool_calls![0]!.id);
  } finally {
    await rig.close();
  }
});

test("b. no quirk flag: Kimi's text-emitted tool call reaches Claude Code as a real tool call", { timeout: 240_000 }, async () => {
  const rig = await startRig({ model: 'moonshotai/kimi-k2.6' });
  try {
    const args = { file_path: rig.file, content: EXACT_BYTES };
    const brain: Brain = (req) => {
      if (!declaredTools(req).includes('Write')) return { steps: [{ type: 'text', text: 'Title' }] };
      if (hasToolResult(req)) return { steps: [{ type: 'text', text: FINAL_TEXT }] };
      return { steps: [{ type: 'text', text: 'Writing it. ' }, { type: 'kimi_text_tool_call', name: 'Write', arguments: args }] };
    };
    rig.nim.setBrain(brain);
    const run = await runClaude({ prompt: 'Write the file out.txt', baseUrl: rig.proxy.url, token: CLIENT_TOKEN, dirs: rig.dirs });
    const diag = diagnosis(rig, run);
    assert.equal(run.code, 0, diag);
    assert.ok(!run.stdout.includes('<|tool_call'), `no raw Kimi markers reach the user\n${diag}`);
    assert.ok(run.stdout.includes(FINAL_TEXT), diag);
    assert.equal(readFileSync(rig.file, 'utf8'), EXACT_BYTES);
    assert.deepEqual(rejections(rig.nim.requests), [], diag);
    const { assistant, next } = toolCallTurn(rig);
    const call = assistant.tool_calls![0]!;
    assert.equal(call.id, 'functions.Write:0', "the call keeps Kimi's id");
    assert.equal(call.function.name, 'Write');
    assert.deepEqual(JSON.parse(call.function.arguments), args);
    assert.ok(!JSON.stringify(assistant.content ?? '').includes('<|tool_call'), 'the history carries no raw markers');
    assert.equal(next?.tool_call_id, call.id);
  } finally {
    await rig.close();
  }
});

test('c. backend main model is not Kimi, the request picks nim/moonshotai/kimi-k2.6 (its small model): the profile follows the request', { timeout: 240_000 }, async () => {
  const rig = await startRig({ model: LLAMA, smallModel: 'moonshotai/kimi-k2.6' });
  try {
    assert.match(rig.proxy.output(), /Active backend: nim \(meta\/llama-3\.3-70b-instruct, quirks: none\)/);
    assert.deepEqual(await quirksInState(rig), { nim: 'none' }, 'the state names the main model\'s profile');
    rig.nim.setBrain(writeFileBrain({ tool: 'Write', args: { file_path: rig.file, content: EXACT_BYTES }, reasoning: true }));
    const run = await runClaude({ prompt: 'Write the file out.txt', baseUrl: rig.proxy.url, token: CLIENT_TOKEN, dirs: rig.dirs, model: 'nim/moonshotai/kimi-k2.6' });
    const diag = diagnosis(rig, run);
    assert.equal(run.code, 0, diag);
    assert.equal(readFileSync(rig.file, 'utf8'), EXACT_BYTES);
    assert.deepEqual(rejections(rig.nim.requests), [], diag);
    const { assistant, model } = toolCallTurn(rig);
    assert.equal(model, 'moonshotai/kimi-k2.6');
    assert.equal(assistant.reasoning_content, REASONING);
  } finally {
    await rig.close();
  }
});
