import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import { ResponseIdRewriter } from '../../../../app/proxy/sse/response-ids';
import { SseEventSplitter } from '../../../../app/proxy/sse/sse-event-splitter';
import { startFakeMoonshot } from '../../../fakes/fake-moonshot';
import { startFakeNim } from '../../../fakes/fake-nim';

const CHATCMPL = /^chatcmpl-[0-9A-Za-z]{29}$/;
const MSG = /^msg_[0-9A-Za-z]{24}$/;

const nimStream = readFileSync(new URL('../../../fixtures/openai/nim-kimi-stream.sse', import.meta.url), 'utf8');
const anthropicStream = readFileSync(new URL('../../../fixtures/anthropic/stream-text-thinking-tools.sse', import.meta.url), 'utf8');

function dataOf(sse: string): string[] {
  const out: string[] = [];
  const parser = createParser({ onEvent: (m) => out.push(m.data) });
  parser.feed(sse);
  parser.feed('\n\n');
  return out;
}

function rewriter(format: 'openai' | 'anthropic'): { ids: ResponseIdRewriter; seen: string[] } {
  const seen: string[] = [];
  return { ids: new ResponseIdRewriter(format, (id) => seen.push(id)), seen };
}

test('OpenAI stream: every chunk gets the one client id, everything else byte for byte, upstream id reported once', () => {
  const { ids, seen } = rewriter('openai');
  const out = ids.events(nimStream);
  assert.match(ids.clientId, CHATCMPL);
  assert.equal(out, nimStream.replaceAll('"id":"chatcmpl-nim1"', `"id":"${ids.clientId}"`));
  assert.deepEqual(seen, ['chatcmpl-nim1']);
  assert.equal(ids.upstreamId, 'chatcmpl-nim1');
  const data = dataOf(out);
  assert.equal(data.at(-1), '[DONE]');
  for (const d of data.slice(0, -1)) assert.equal((JSON.parse(d) as { id: string }).id, ids.clientId);
});

test('two rewriters over the same repeated upstream id give two different client ids', () => {
  const a = new ResponseIdRewriter('openai');
  const b = new ResponseIdRewriter('openai');
  assert.notEqual(a.clientId, b.clientId);
  assert.notEqual(a.events(nimStream), b.events(nimStream));
  assert.match(new ResponseIdRewriter('anthropic').clientId, MSG);
});

test('OpenAI chunks in other shapes: id not first, no space after data:, CRLF, escaped id, id left out', () => {
  const { ids, seen } = rewriter('openai');
  const c = ids.clientId;
  assert.equal(ids.events('data: {"object":"chat.completion.chunk","id":"up-1","choices":[]}\n\n'), `data: {"object":"chat.completion.chunk","id":"${c}","choices":[]}\n\n`);
  assert.equal(ids.events('data:{"id":"up-1","choices":[]}\r\n\r\n'), `data: {"id":"${c}","choices":[]}\r\n\r\n`);
  assert.equal(ids.events('data: {"id":"up-\\u0031","choices":[]}\n\n'), `data: {"id":"${c}","choices":[]}\n\n`);
  assert.equal(ids.events('data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\n'), `data: {"id":"${c}","choices":[{"index":0,"delta":{"content":"x"}}]}\n\n`);
  assert.equal(ids.events('data: { }\n\n'), 'data: { }\n\n', 'not a chunk (no id, no choices): left alone');
  assert.deepEqual(seen, ['up-1'], 'the first upstream id is the one reported');
});

test('OpenAI: [DONE], comments, error objects and non-JSON pass unchanged', () => {
  const { ids, seen } = rewriter('openai');
  const text = ': ping\n\ndata: {"error":{"message":"boom","type":"server_error","code":500}}\n\ndata: not json\n\ndata: [DONE]\n\n';
  assert.equal(ids.events(text), text);
  assert.deepEqual(seen, []);
});

test('OpenAI: a tool call whose id equals the chunk id keeps its own id (no blind text replace)', () => {
  const { ids } = rewriter('openai');
  const chunk = { object: 'chat.completion.chunk', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'same', function: { name: 'W', arguments: '' } }] } }], id: 'same' };
  const [data] = dataOf(ids.events(`data: ${JSON.stringify(chunk)}\n\n`));
  const parsed = JSON.parse(data!) as typeof chunk;
  assert.equal(parsed.id, ids.clientId);
  assert.equal(parsed.choices[0]!.delta.tool_calls[0]!.id, 'same');
});

test('OpenAI: an event with its JSON over several data lines is rewritten and still reads the same', () => {
  const { ids } = rewriter('openai');
  const out = ids.events('id: 7\ndata: {"object":"chat.completion.chunk",\ndata: "id":"up","choices":[]}\n\n');
  assert.ok(out.startsWith('id: 7\n'));
  assert.deepEqual(JSON.parse(dataOf(out)[0]!), { object: 'chat.completion.chunk', id: ids.clientId, choices: [] });
});

test('Anthropic stream: only message_start.message.id changes; after it the text is passed as is', () => {
  const { ids, seen } = rewriter('anthropic');
  const out = ids.events(anthropicStream);
  assert.equal(out, anthropicStream.replace('"id":"msg_01XFDUDYJgAACzvnptvVoYEL"', `"id":"${ids.clientId}"`));
  assert.deepEqual(seen, ['msg_01XFDUDYJgAACzvnptvVoYEL']);
  const later = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"message_start {\\"id\\":1}"}}\n\n';
  assert.equal(ids.events(later), later);
});

test('Anthropic: events before message_start (a ping) pass; message_start fed on its own and via eventData', () => {
  const { ids } = rewriter('anthropic');
  const ping = 'event: ping\ndata: {"type": "ping"}\n\n';
  assert.equal(ids.events(ping), ping);
  const start = 'event: message_start\r\ndata: {"type": "message_start", "message": {"id": "msg_up", "type": "message", "content": []}}\r\n\r\n';
  const out = ids.events(start);
  assert.ok(out.endsWith('\r\n\r\n') && out.startsWith('event: message_start\r\n'), JSON.stringify(out));
  assert.equal((JSON.parse(dataOf(out)[0]!) as { message: { id: string } }).message.id, ids.clientId);
  const again = new ResponseIdRewriter('anthropic');
  assert.equal(JSON.parse(again.eventData('{"type":"message_start","message":{"id":"msg_up"}}')).message.id, again.clientId);
  assert.equal(again.upstreamId, 'msg_up');
});

test('whole bodies: OpenAI chat.completion and Anthropic message rewritten; id added when missing; count_tokens untouched', () => {
  const openai = new ResponseIdRewriter('openai');
  assert.equal(openai.body('{"id":"chatcmpl-up","object":"chat.completion","choices":[]}'), `{"id":"${openai.clientId}","object":"chat.completion","choices":[]}`);
  assert.equal(openai.upstreamId, 'chatcmpl-up');
  const missing = new ResponseIdRewriter('openai');
  assert.equal(JSON.parse(missing.body('{"object":"chat.completion","choices":[]}')).id, missing.clientId);
  assert.equal(missing.upstreamId, undefined);
  const anthropic = new ResponseIdRewriter('anthropic');
  const message = '{"type":"message","id":"msg_up","role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"W","input":{}}]}';
  assert.equal(anthropic.body(message), message.replace('msg_up', anthropic.clientId));
  assert.equal(anthropic.body('{"input_tokens":12}'), '{"input_tokens":12}');
  assert.equal(anthropic.body('not json'), 'not json');
});

/** Reads a real socket stream through SseEventSplitter and the rewriter, as the pass-through path does. */
async function relay(url: string, init: RequestInit, ids: ResponseIdRewriter): Promise<string> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200);
  const splitter = new SseEventSplitter();
  const decoder = new TextDecoder();
  let out = '';
  for await (const bytes of res.body!) out += ids.events(splitter.push(decoder.decode(bytes, { stream: true })));
  return out + ids.events(splitter.takeTail());
}

test('over a socket: fake NIM repeating (or omitting) its id, fake Moonshot repeating its id', async () => {
  for (const responseIds of ['repeated', 'omitted'] as const) {
    const nim = await startFakeNim({ responseIds, brain: () => ({ steps: [{ type: 'reasoning', text: 'héllo — 日本' }, { type: 'text', text: 'done ✓' }] }) });
    try {
      const body = JSON.stringify({ model: 'moonshotai/kimi-k2.6', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] });
      const init = { method: 'POST', headers: { authorization: `Bearer ${nim.key}`, 'content-type': 'application/json' }, body };
      const seen: string[][] = [];
      for (let i = 0; i < 2; i++) {
        const ids = new ResponseIdRewriter('openai');
        const data = dataOf(await relay(`${nim.url}/chat/completions`, init, ids));
        const chunks = data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as { id: string });
        assert.ok(chunks.length > 3);
        assert.deepEqual(new Set(chunks.map((c) => c.id)), new Set([ids.clientId]), responseIds);
        seen.push([ids.clientId, ids.upstreamId ?? '']);
      }
      assert.notEqual(seen[0]![0], seen[1]![0]);
      if (responseIds === 'repeated') assert.equal(seen[0]![1], seen[1]![1], 'the fake did repeat its id');
      else assert.deepEqual([seen[0]![1], seen[1]![1]], ['', '']);
    } finally {
      await nim.close();
    }
  }
  const moonshot = await startFakeMoonshot({ responseIds: 'repeated' });
  try {
    const body = JSON.stringify({ model: 'kimi-k2.6', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const init = { method: 'POST', headers: { 'x-api-key': moonshot.key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body };
    const a = new ResponseIdRewriter('anthropic');
    const b = new ResponseIdRewriter('anthropic');
    const idOf = (sse: string) => (JSON.parse(dataOf(sse)[0]!) as { message: { id: string } }).message.id;
    assert.equal(idOf(await relay(`${moonshot.url}/v1/messages`, init, a)), a.clientId);
    assert.equal(idOf(await relay(`${moonshot.url}/v1/messages`, init, b)), b.clientId);
    assert.equal(a.upstreamId, b.upstreamId, 'the fake did repeat its id');
    assert.notEqual(a.clientId, b.clientId);
  } finally {
    await moonshot.close();
  }
});
