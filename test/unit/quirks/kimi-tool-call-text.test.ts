import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createKimiToolCallTransform, splitKimiToolCallText } from '../../../app/quirks/kimi-tool-call-text';
import type { StreamEvent } from '../../../app/ir/stream';

const SECTION =
  '<|tool_calls_section_begin|> <|tool_call_begin|> functions.Write:0 <|tool_call_argument_begin|> {"file_path":"a.txt","content":"hi"} <|tool_call_end|>\n' +
  '<|tool_call_begin|>functions.mcp__fs__read:1<|tool_call_argument_begin|>{"path":"b"}<|tool_call_end|><|tool_calls_section_end|>';

test('splits a complete text into text and calls (whitespace between tokens, several calls)', () => {
  const split = splitKimiToolCallText('I will write it. ' + SECTION);
  assert.equal(split.text, 'I will write it. ');
  assert.deepEqual(split.calls, [
    { id: 'functions.Write:0', name: 'Write', arguments: '{"file_path":"a.txt","content":"hi"}' },
    { id: 'functions.mcp__fs__read:1', name: 'mcp__fs__read', arguments: '{"path":"b"}' },
  ]);
});

test('text without markers is returned untouched; an unterminated section still yields its call', () => {
  assert.deepEqual(splitKimiToolCallText('a < b and <| is fine'), { text: 'a < b and <| is fine', calls: [] });
  const split = splitKimiToolCallText('<|tool_calls_section_begin|><|tool_call_begin|>functions.Bash:3<|tool_call_argument_begin|>{"command":"ls"}');
  assert.deepEqual(split, { text: '', calls: [{ id: 'functions.Bash:3', name: 'Bash', arguments: '{"command":"ls"}' }] });
});

function run(texts: string[], before: StreamEvent[] = []): StreamEvent[] {
  const t = createKimiToolCallTransform();
  const input: StreamEvent[] = [
    { type: 'message_start', id: 'm', model: 'k', usage: { inputTokens: 0, outputTokens: 0 } },
    ...before,
    { type: 'block_start', index: before.length ? 1 : 0, block: { type: 'text' } },
    ...texts.map((text): StreamEvent => ({ type: 'block_delta', index: before.length ? 1 : 0, delta: { type: 'text', text } })),
    { type: 'block_stop', index: before.length ? 1 : 0 },
    { type: 'message_delta', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2 } },
    { type: 'message_stop' },
  ];
  return [...input.flatMap((e) => t.push(e)), ...t.end()];
}

function textOf(events: StreamEvent[]): string {
  return events.map((e) => (e.type === 'block_delta' && e.delta.type === 'text' ? e.delta.text : '')).join('');
}

test('stream: the same result however the text is cut, calls as tool_use blocks, stop reason tool_use', () => {
  const full = 'Sure. ' + SECTION + ' Done.';
  const reference = run([full]);
  for (let cut = 0; cut <= full.length; cut++) {
    assert.deepEqual(
      run([full.slice(0, cut), full.slice(cut)]).filter((e) => e.type !== 'block_delta' || e.delta.type !== 'text'),
      reference.filter((e) => e.type !== 'block_delta' || e.delta.type !== 'text'),
      `cut ${cut}`,
    );
    assert.equal(textOf(run([full.slice(0, cut), full.slice(cut)])), 'Sure.  Done.');
  }
  const starts = reference.filter((e) => e.type === 'block_start');
  assert.deepEqual(
    starts.map((e) => e.type === 'block_start' && e.block),
    [{ type: 'text' }, { type: 'tool_use', id: 'functions.Write:0', name: 'Write' }, { type: 'tool_use', id: 'functions.mcp__fs__read:1', name: 'mcp__fs__read' }, { type: 'text' }],
  );
  assert.deepEqual(starts.map((e) => e.type === 'block_start' && e.index), [0, 1, 2, 3]);
  const delta = reference.find((e) => e.type === 'message_delta');
  assert.equal(delta?.type === 'message_delta' && delta.stopReason, 'tool_use');
});

test('stream: ordinary text is held back only while it could start a marker', () => {
  const t = createKimiToolCallTransform();
  t.push({ type: 'message_start', id: 'm', model: 'k', usage: { inputTokens: 0, outputTokens: 0 } });
  t.push({ type: 'block_start', index: 0, block: { type: 'text' } });
  assert.equal(textOf(t.push({ type: 'block_delta', index: 0, delta: { type: 'text', text: 'hello world' } })), 'hello world');
  assert.equal(textOf(t.push({ type: 'block_delta', index: 0, delta: { type: 'text', text: 'a <|tool' } })), 'a ');
  assert.equal(textOf(t.push({ type: 'block_delta', index: 0, delta: { type: 'text', text: 'box|> b' } })), '<|toolbox|> b');
  assert.equal(textOf(t.push({ type: 'block_delta', index: 0, delta: { type: 'text', text: ' <' } })), ' ');
  assert.equal(textOf(t.push({ type: 'block_stop', index: 0 })), '<');
});

test('stream: blocks before the text are renumbered consistently and text-free streams pass unchanged', () => {
  const thinking: StreamEvent[] = [
    { type: 'block_start', index: 0, block: { type: 'thinking' } },
    { type: 'block_delta', index: 0, delta: { type: 'thinking', thinking: 'hmm' } },
    { type: 'block_stop', index: 0 },
  ];
  const out = run([SECTION], thinking);
  assert.deepEqual(out.slice(0, 4), [{ type: 'message_start', id: 'm', model: 'k', usage: { inputTokens: 0, outputTokens: 0 } }, ...thinking]);
  assert.deepEqual(
    out.filter((e) => e.type === 'block_start').map((e) => e.type === 'block_start' && e.index),
    [0, 1, 2],
  );
  const plain = run(['just text']);
  assert.equal(textOf(plain), 'just text');
  assert.deepEqual(plain.find((e) => e.type === 'message_delta'), { type: 'message_delta', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2 } });
});

test('stream: held text is handed over before an error, and nothing follows the error', () => {
  const t = createKimiToolCallTransform();
  t.push({ type: 'message_start', id: 'm', model: 'k', usage: { inputTokens: 0, outputTokens: 0 } });
  t.push({ type: 'block_start', index: 0, block: { type: 'text' } });
  t.push({ type: 'block_delta', index: 0, delta: { type: 'text', text: 'x <|' } });
  const out = t.push({ type: 'error', error: { kind: 'api_error', status: 500, message: 'boom' } });
  assert.equal(textOf(out), '<|');
  assert.equal(out.at(-1)?.type, 'error');
  assert.deepEqual(t.end(), []);
});
