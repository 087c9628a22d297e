/**
 * Issue 6.2 with the real Claude Code: an upstream that repeats its response ids must not make
 * Claude Code merge two turns. Claude Code merges transcript entries that share `message.id`
 * when it rebuilds history; the proxy gives every response its own id.
 * a. Translated: session on a fake NIM repeating one id (tool call, then a final text), switch to
 *    Moonshot, `claude --continue`: the history Moonshot receives keeps the turns apart, in order.
 * b. Pass-through: the same on a fake Moonshot repeating one id, then NIM.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFakeMoonshot } from '../fakes/fake-moonshot';
import { startFakeNim } from '../fakes/fake-nim';
import type { FakeUpstream, RecordedRequest } from '../fakes/scenario';
import { describeRun, makeAgentDirs, runClaude } from '../helpers/agents';
import { startProxy, type RunningProxy } from '../helpers/proxy';
import { removeTempDirs } from '../helpers/temp-dirs';
import { declaredTools, EXACT_BYTES, FINAL_TEXT, hasToolResult, writeFileBrain } from '../helpers/write-scenario';
import { ADMIN_TOKEN, CLIENT_TOKEN, MOONSHOT_MODEL, NIM_MODEL } from './e2e-setup';

type Block = { type: string; id?: string; tool_use_id?: string; text?: string };
type Message = { role: string; content: string | Block[] };
type OpenAiMessage = { role: string; content?: unknown; tool_calls?: Array<{ id: string }>; tool_call_id?: string };

interface Rig {
  nim: FakeUpstream;
  moonshot: FakeUpstream;
  proxy: RunningProxy;
}

/** Both fakes and the proxy; `repeating` is the fake that repeats one response id, and starts active. */
async function startRepeatingRig(repeating: 'nim' | 'moonshot'): Promise<Rig> {
  const nim = await startFakeNim(repeating === 'nim' ? { responseIds: 'repeated' } : {});
  const moonshot = await startFakeMoonshot(repeating === 'moonshot' ? { responseIds: 'repeated' } : {});
  const config = {
    clientToken: CLIENT_TOKEN,
    adminToken: ADMIN_TOKEN,
    active: repeating,
    backends: [
      { id: 'nim', format: 'openai', baseUrl: nim.url, apiKey: 'env:PB_E2E_NIM_KEY', model: NIM_MODEL, kimi: true, fixedSampling: true },
      { id: 'moonshot', format: 'anthropic', baseUrl: moonshot.url, apiKey: 'env:PB_E2E_MOONSHOT_KEY', model: MOONSHOT_MODEL, kimi: true },
    ],
  };
  try {
    const proxy = await startProxy({ config, env: { PB_E2E_NIM_KEY: nim.key, PB_E2E_MOONSHOT_KEY: moonshot.key } });
    return { nim, moonshot, proxy };
  } catch (err) {
    await nim.close();
    await moonshot.close();
    throw err;
  }
}

async function setActive(proxy: RunningProxy, backend: string): Promise<void> {
  const res = await fetch(`${proxy.url}/api/active`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ backend }),
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(res.status, 200, await res.text());
}

function rejections(requests: RecordedRequest[]): string[] {
  return requests.filter((r) => r.rejected).map((r) => `${r.path}: ${r.rejected}`);
}

function blocks(m: Message): Block[] {
  return typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
}

/** `text("FILE-WRI…")`, `tool_use(toolu_1)`, `tool_result(toolu_1)`: enough to read an order. */
function shortBlock(b: Block): string {
  if (b.type === 'text') return `text(${JSON.stringify((b.text ?? '').slice(0, 20))})`;
  return `${b.type}(${b.id ?? b.tool_use_id ?? ''})`;
}

test('a. Claude Code on a NIM that repeats its ids, then --continue on Moonshot: turns stay apart and in order', { timeout: 300_000 }, async (t) => {
  const rig = await startRepeatingRig('nim');
  const dirs = makeAgentDirs();
  try {
    const file = join(dirs.workdir, 'out.txt');
    rig.nim.setBrain(writeFileBrain({ tool: 'Write', args: { file_path: file, content: EXACT_BYTES }, reasoning: true }));
    const first = await runClaude({ prompt: 'Write the file out.txt', baseUrl: rig.proxy.url, token: CLIENT_TOKEN, dirs });
    assert.equal(first.code, 0, describeRun(first));
    assert.ok(first.stdout.includes(FINAL_TEXT), describeRun(first));
    assert.equal(readFileSync(file, 'utf8'), EXACT_BYTES);
    assert.ok(rig.nim.requests.filter((r) => !r.rejected).length >= 2, 'two turns (or more) answered with the one repeated id');

    await setActive(rig.proxy, 'moonshot');
    const SWITCHED = 'ANSWER-FROM-MOONSHOT-AFTER-SWITCH';
    rig.moonshot.setBrain((req) => ({ steps: [{ type: 'text', text: declaredTools(req).includes('Write') ? SWITCHED : 'Title' }] }));
    const second = await runClaude({ prompt: 'What did you just do?', baseUrl: rig.proxy.url, token: CLIENT_TOKEN, dirs, continueSession: true });
    const diag = `${describeRun(second)}\n--- proxy\n${rig.proxy.output().slice(-3000)}\n--- moonshot rejections\n${rejections(rig.moonshot.requests).join('\n')}`;
    assert.equal(second.code, 0, diag);
    assert.ok(second.stdout.includes(SWITCHED), diag);

    // Claude Code's mid-conversation role:"system" message is refused by the strict fake and
    // Claude Code retries without it (see through-proxy.test.ts): not a history problem.
    const systemRole = rig.moonshot.requests.filter((r) => /Unexpected role "system"/.test(r.rejected ?? ''));
    if (systemRole.length) t.diagnostic(`${systemRole.length} request(s) refused for a mid-conversation role:"system" message (Claude Code fell back)`);
    assert.deepEqual(rejections(rig.moonshot.requests).filter((r) => !/Unexpected role "system"/.test(r)), [], diag);

    const accepted = rig.moonshot.requests.find((r) => !r.rejected && declaredTools(r).includes('Write') && hasToolResult(r));
    assert.ok(accepted, `Moonshot accepted a request carrying the earlier tool round\n${diag}`);
    const messages = accepted.body.messages as Message[];
    const history = messages.map((m, i) => `${i} ${m.role}: ${blocks(m).map(shortBlock).join(', ')}`).join('\n');

    // Each tool_use is followed, in the very next message, by its tool_result.
    const useAt = messages.findIndex((m) => m.role === 'assistant' && blocks(m).some((b) => b.type === 'tool_use'));
    assert.ok(useAt >= 0, `history carries the tool_use\n${history}`);
    const use = blocks(messages[useAt]!).find((b) => b.type === 'tool_use')!;
    const next = messages[useAt + 1];
    assert.ok(next && next.role === 'user' && blocks(next).some((b) => b.type === 'tool_result' && b.tool_use_id === use.id), `tool_result right after its tool_use\n${history}`);

    // The final text of the first session answered the tool result: it comes after it, in an
    // assistant message of its own, not merged into (or before) the tool-call turn.
    const textAt = messages.findIndex((m) => m.role === 'assistant' && blocks(m).some((b) => b.type === 'text' && b.text?.includes(FINAL_TEXT)));
    assert.ok(textAt > useAt + 1, `the final text comes after the tool result (text at ${textAt}, tool_use at ${useAt})\n${history}`);
    assert.ok(!blocks(messages[useAt]!).some((b) => b.type === 'text' && b.text?.includes(FINAL_TEXT)), `final text not merged into the tool-call turn\n${history}`);
  } finally {
    await rig.proxy.stop();
    await rig.nim.close();
    await rig.moonshot.close();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});

test('b. Claude Code on a Moonshot that repeats its ids (pass-through), then --continue on NIM: turns stay apart and in order', { timeout: 300_000 }, async () => {
  const rig = await startRepeatingRig('moonshot');
  const dirs = makeAgentDirs();
  try {
    const file = join(dirs.workdir, 'out.txt');
    rig.moonshot.setBrain(writeFileBrain({ tool: 'Write', args: { file_path: file, content: EXACT_BYTES }, reasoning: true }));
    const first = await runClaude({ prompt: 'Write the file out.txt', baseUrl: rig.proxy.url, token: CLIENT_TOKEN, dirs });
    assert.equal(first.code, 0, describeRun(first));
    assert.ok(first.stdout.includes(FINAL_TEXT), describeRun(first));
    assert.equal(readFileSync(file, 'utf8'), EXACT_BYTES);

    await setActive(rig.proxy, 'nim');
    const SWITCHED = 'ANSWER-FROM-NIM-AFTER-SWITCH';
    rig.nim.setBrain((req) => ({ steps: [{ type: 'text', text: declaredTools(req).includes('Write') ? SWITCHED : 'Title' }] }));
    const second = await runClaude({ prompt: 'What did you just do?', baseUrl: rig.proxy.url, token: CLIENT_TOKEN, dirs, continueSession: true });
    const diag = `${describeRun(second)}\n--- proxy\n${rig.proxy.output().slice(-3000)}\n--- nim rejections\n${rejections(rig.nim.requests).join('\n')}`;
    assert.equal(second.code, 0, diag);
    assert.ok(second.stdout.includes(SWITCHED), diag);
    assert.deepEqual(rejections(rig.nim.requests), [], diag);

    const accepted = rig.nim.requests.find((r) => declaredTools(r).includes('Write') && hasToolResult(r));
    assert.ok(accepted, `NIM accepted a request carrying the earlier tool round\n${diag}`);
    const msgs = accepted.body.messages as OpenAiMessage[];
    const text = (m: OpenAiMessage) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''));
    const history = msgs.map((m, i) => `${i} ${m.role}: ${text(m).slice(0, 24)}${m.tool_calls ? ` calls ${m.tool_calls.map((c) => c.id).join(',')}` : ''}${m.tool_call_id ? ` answers ${m.tool_call_id}` : ''}`).join('\n');
    const callAt = msgs.findIndex((m) => m.role === 'assistant' && m.tool_calls?.length);
    assert.ok(callAt >= 0, `history carries the tool call\n${history}`);
    assert.equal(msgs[callAt + 1]?.role, 'tool', `the tool result right after its call\n${history}`);
    assert.equal(msgs[callAt + 1]?.tool_call_id, msgs[callAt]!.tool_calls![0]!.id, history);
    assert.ok(!text(msgs[callAt]!).includes(FINAL_TEXT), `final text not merged into the tool-call turn\n${history}`);
    const textAt = msgs.findIndex((m) => m.role === 'assistant' && text(m).includes(FINAL_TEXT));
    assert.ok(textAt > callAt + 1, `the final text comes after the tool result\n${history}`);
  } finally {
    await rig.proxy.stop();
    await rig.nim.close();
    await rig.moonshot.close();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});
