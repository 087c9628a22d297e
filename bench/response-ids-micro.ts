/**
 * Micro-benchmark of the pass-through id rewrite (app/proxy/sse/response-ids.ts): cost per
 * relayed SSE event of the targeted rewrite beside a JSON.parse + JSON.stringify of every chunk.
 * Every case ends with the UTF-8 encoding a socket write does, so the differences to the
 * copy-only line are the added cost. Events are fed one at a time, as SseEventSplitter hands them on when the upstream writes one
 * event per write (NIM, Moonshot); ids are fixed so minting (once per response) is timed apart.
 * Run: node --import tsx bench/response-ids-micro.ts
 */
import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import { newCompletionId, newMessageId } from '../app/codecs/minted-ids';
import { ResponseIdRewriter } from '../app/proxy/sse/response-ids';

/** Fixed ids so the per-event figures leave out minting (measured on its own below). */
const OPENAI_ID = newCompletionId();
const ANTHROPIC_ID = newMessageId();

const nim = readFileSync(new URL('../test/fixtures/openai/nim-kimi-stream.sse', import.meta.url), 'utf8');
const anthropic = readFileSync(new URL('../test/fixtures/anthropic/stream-text-thinking-tools.sse', import.meta.url), 'utf8');

const eventsOf = (text: string): string[] => text.split(/(?<=\n\n)/).filter((e) => e.trim() !== '');
const nimEvents = eventsOf(nim);
/** The same chunks with `id` moved after `object` (servers that do not put it first). */
const idLaterEvents = nimEvents.map((e) => e.replace(/^data: \{"id":("[^"]*"),"object":("[^"]*"),/, 'data: {"object":$2,"id":$1,'));
const anthropicEvents = eventsOf(anthropic);

/** What a straightforward rewrite would do: parse every chunk, set the id, write it anew. */
function parseEveryChunk(format: 'openai' | 'anthropic', id: string): (event: string) => string {
  return (event) => {
    const lines = event.split('\n');
    const at = lines.findIndex((l) => l.startsWith('data: '));
    if (at === -1) return event;
    const data = lines[at]!.slice(6);
    if (data === '[DONE]') return event;
    const value = JSON.parse(data) as { id?: string; type?: string; message?: { id?: string } };
    if (format === 'openai') value.id = id;
    else if (value.type === 'message_start' && value.message) value.message.id = id;
    lines[at] = 'data: ' + JSON.stringify(value);
    return lines.join('\n');
  };
}

/**
 * ns per event: the fastest of `rounds` rounds of `streams` whole streams each (the machine is
 * shared; the minimum is the figure least disturbed by other work).
 */
function measure(events: string[], make: () => (event: string) => string, streams = 2000, rounds = 15): number {
  const perRound: number[] = [];
  let sink = 0;
  for (let r = -2; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let s = 0; s < streams; s++) {
      const rewrite = make();
      // Encoded as the socket write does (which also flattens a concatenated string).
      for (const e of events) sink += Buffer.from(rewrite(e), 'utf8').length;
    }
    const ns = Number(process.hrtime.bigint() - start) / (streams * events.length);
    if (r >= 0) perRound.push(ns); // the first two rounds warm up
  }
  if (sink === 42) console.log('');
  return Math.min(...perRound);
}

const cases: Array<[string, string[], () => (event: string) => string]> = [
  ['openai  relay only (no rewrite, baseline)', nimEvents, () => (e) => e],
  ['openai  targeted ({"id":"…" first, most servers)', nimEvents, () => {
    const ids = new ResponseIdRewriter('openai', undefined, OPENAI_ID);
    return (e) => ids.events(e);
  }],
  ['openai  targeted, id not first (parse, in-place)', idLaterEvents, () => {
    const ids = new ResponseIdRewriter('openai', undefined, OPENAI_ID);
    return (e) => ids.events(e);
  }],
  ['openai  eventsource-parser feed (already on the path)', nimEvents, () => {
    const parser = createParser({ onEvent: () => {} });
    return (e) => {
      parser.feed(e);
      return e;
    };
  }],
  ['openai  JSON.parse + stringify every chunk', nimEvents, () => parseEveryChunk('openai', OPENAI_ID)],
  ['anthropic relay only (no rewrite, baseline)', anthropicEvents, () => (e) => e],
  ['anthropic targeted (message_start only)', anthropicEvents, () => {
    const ids = new ResponseIdRewriter('anthropic', undefined, ANTHROPIC_ID);
    return (e) => ids.events(e);
  }],
  ['anthropic JSON.parse + stringify every event', anthropicEvents, () => parseEveryChunk('anthropic', ANTHROPIC_ID)],
];

const avg = (events: string[]) => Math.round(events.reduce((n, e) => n + e.length, 0) / events.length);
console.log(`events: openai ${nimEvents.length} per stream (avg ${avg(nimEvents)} chars), anthropic ${anthropicEvents.length} (avg ${avg(anthropicEvents)} chars)`);
for (const [name, events, make] of cases) console.log(`${name.padEnd(52)} ${measure(events, make).toFixed(0).padStart(6)} ns/event`);
const mint = measure(['x'], () => () => newMessageId(), 200_000);
console.log(`${'minting one id (once per response)'.padEnd(52)} ${mint.toFixed(0).padStart(6)} ns`);
