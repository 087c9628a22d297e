/**
 * The real CLIs against the fakes directly, without the proxy: proves the fakes speak each
 * format well enough for the real clients, and that the agent helpers run them offline.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFakeMoonshot } from '../fakes/fake-moonshot';
import { startFakeNim } from '../fakes/fake-nim';
import { describeRun, makeAgentDirs, runClaude, runOpenCode } from '../helpers/agents';
import { removeTempDirs } from '../helpers/temp-dirs';
import { EXACT_BYTES, FINAL_TEXT, hasToolResult, writeFileBrain } from '../helpers/write-scenario';

test('Claude Code writes a file through fake Moonshot directly (thinking + tool_use round)', { timeout: 180_000 }, async () => {
  const ms = await startFakeMoonshot();
  const dirs = makeAgentDirs();
  try {
    const file = join(dirs.workdir, 'out.txt');
    ms.setBrain(writeFileBrain({ tool: 'Write', args: { file_path: file, content: EXACT_BYTES }, reasoning: true }));
    const run = await runClaude({ prompt: 'Write the file out.txt', baseUrl: ms.url, token: ms.key, model: 'kimi-k2.6', dirs });
    assert.equal(run.code, 0, describeRun(run));
    assert.ok(run.stdout.includes(FINAL_TEXT), describeRun(run));
    assert.equal(readFileSync(file, 'utf8'), EXACT_BYTES);
    const second = ms.requests.find((r) => !r.rejected && hasToolResult(r));
    assert.ok(second, 'a request carried the tool result');
    const msgs = second.body.messages as Array<{ role: string; content: Array<{ type: string; id?: string; tool_use_id?: string }> }>;
    const use = msgs.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).find((b) => b.type === 'tool_use');
    const result = msgs.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).find((b) => b.type === 'tool_result');
    assert.ok(use?.id && use.id === result?.tool_use_id);
  } finally {
    await ms.close();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});

test('OpenCode writes a file through fake NIM directly, echoing reasoning_content', { timeout: 180_000 }, async () => {
  const nim = await startFakeNim();
  const dirs = makeAgentDirs();
  try {
    const file = join(dirs.workdir, 'out.txt');
    nim.setBrain(writeFileBrain({ tool: 'write', args: { filePath: file, content: EXACT_BYTES }, reasoning: true }));
    const run = await runOpenCode({ prompt: 'Write the file out.txt', baseUrl: nim.url, apiKey: nim.key, model: 'moonshotai/kimi-k2.6', dirs });
    assert.equal(run.code, 0, describeRun(run));
    assert.ok(run.stdout.includes(FINAL_TEXT), describeRun(run));
    assert.equal(readFileSync(file, 'utf8'), EXACT_BYTES);
    assert.deepEqual(nim.requests.filter((r) => r.rejected).map((r) => r.rejected), []);
    const second = nim.requests.find((r) => hasToolResult(r));
    assert.ok(second, 'a request carried the tool result');
    const msgs = second.body.messages as Array<{ role: string; tool_calls?: Array<{ id: string }>; tool_call_id?: string; reasoning_content?: string }>;
    const assistant = msgs.find((m) => m.role === 'assistant' && m.tool_calls);
    const tool = msgs.find((m) => m.role === 'tool');
    assert.equal(assistant?.tool_calls?.[0]?.id, 'functions.write:0');
    assert.equal(tool?.tool_call_id, 'functions.write:0');
    assert.ok(assistant?.reasoning_content);
  } finally {
    await nim.close();
    removeTempDirs(dirs.home, dirs.workdir);
  }
});
