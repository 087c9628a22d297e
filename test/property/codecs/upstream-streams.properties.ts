/**
 * The stream properties, run in a watched worker (upstream-streams.test.ts): for a backend
 * format, its streams (recorded, or generated IR written by its own encoder), chunked anyhow and
 * damaged or not, go through the proxy's stream path to every client format and
 * - the client's output ends with exactly one final event of its format (a result, or an error
 *   event), with nothing after it;
 * - a complete stream, undamaged or only with comments, blank lines or other line endings, ends
 *   with a result, never an error;
 * - the decoder refuses only with an ApiErrorException (anything else thrown fails the case);
 * - a finished stream's answer, rebuilt by the Responses store's collector, is remembered, and a
 *   follow-up naming it expands and encodes for the backend;
 * - harmless changes (comments, blank lines, line endings) in any chunking decode to the same IR
 *   as the stream read whole (deltas joined).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { WireFormat } from '../../../app/codecs/codec';
import type { ChatRequest, ChatResponse } from '../../../app/ir/conversation';
import { ResponsesStore } from '../../../app/responses-store';
import { ApiErrorException } from '../../../app/ir/errors';
import { ToolNameMap } from '../../../app/translate/tool-names';
import { codecFor, WIRE_FORMATS } from '../../../app/codecs/registry';
import { streamContext as context, upstreamStream as source } from '../arbitraries/upstream-streams';
import { chunk, chunking, damageSse, isHarmless, sseDamage } from '../arbitraries/sse-damage';
import { checkProperty, seed } from '../fuzz-settings';
import type { Heartbeat } from '../watchdog/run-watched';
import { collapseStream } from '../../unit/codecs/conformance/normalize';
import { clientMessages, isErrorMessage, readUpstreamSse, runStreamPipeline } from './stream-pipeline';

const store = new ResponsesStore();
const earlier: ChatRequest = {
  model: 'm',
  system: [{ type: 'text', text: 'be brief' }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'go' }] }],
  tools: [],
  stream: true,
  responsesState: { store: true, instructionBlocks: 0 },
};

/**
 * What a Responses client's follow-up does with a streamed answer: the store remembers it, a
 * request naming it (answering its tool calls) is expanded and encoded for the backend again.
 */
function continueFrom(answer: ChatResponse, backend: WireFormat): void {
  store.remember('resp_streamed', earlier, answer);
  const results = answer.content.flatMap((b) => (b.type === 'tool_use' ? [{ type: 'tool_result' as const, toolUseId: b.id, content: [{ type: 'text' as const, text: 'done' }], isError: false }] : []));
  const followUp: ChatRequest = {
    ...earlier,
    messages: [{ role: 'user', content: results.length ? results : [{ type: 'text', text: 'more' }] }],
    responsesState: { store: true, instructionBlocks: 0, previousResponseId: 'resp_streamed' },
  };
  try {
    const expanded = store.expand(followUp);
    codecFor(backend).encodeRequest(expanded, { model: 'm' }, { toolNames: ToolNameMap.fromTools(expanded.tools), requestedModel: 'm' });
  } catch (err) {
    // A refusal the client would get as a 400 is an answer; anything else escaped.
    if (!(err instanceof ApiErrorException) || err.apiError.status >= 500) throw err;
  }
}

const shorten = (s: string, n = 3000): string => (s.length > n ? `${s.slice(0, n)}... (${s.length} chars)` : s);

export async function streamProperties(arg: { backend: WireFormat; runs: number }, heartbeat: Heartbeat): Promise<void> {
  const { backend, runs } = arg;
  const counts = { cases: 0, results: 0, errors: 0, refusals: 0 };
  let caseIndex = 0;
  const property = fc.property(
    source(backend),
    fc.oneof(fc.array(sseDamage(), { maxLength: 3 }), fc.array(sseDamage().filter(isHarmless), { maxLength: 3 })),
    chunking(),
    fc.constantFrom(...WIRE_FORMATS),
    fc.boolean(),
    fc.boolean(),
    (src, damage, how, client, kimi, includeUsage) => {
      const text = damageSse(src.text, damage);
      heartbeat({ property: `stream: ${backend} -> ${client}`, caseIndex: caseIndex++, seed, input: shorten(JSON.stringify({ text, damage, how, client, kimi, includeUsage })) });
      const result = runStreamPipeline(backend, client, chunk(Buffer.from(text, 'utf8'), how), context(kimi, includeUsage));
      const messages = clientMessages(result.clientText);
      const isFinal = (m: (typeof messages)[number]) => codecFor(client).wire.isFinalEvent(m);
      const firstFinal = messages.findIndex(isFinal);
      assert.ok(firstFinal >= 0, `the ${client} client got a final event; it got:\n${shorten(result.clientText)}`);
      assert.equal(firstFinal, messages.length - 1, `nothing after the final event:\n${shorten(result.clientText)}`);
      const last = messages[firstFinal] as (typeof messages)[number];
      const failed = isErrorMessage(last);
      if (damage.every(isHarmless) && src.succeeds) assert.ok(!failed, `a whole, valid stream ends with a result, not:\n${shorten(result.clientText)}`);
      if (result.collected) continueFrom(result.collected, backend);
      counts.cases++;
      if (result.refused) counts.refusals++;
      else if (failed) counts.errors++;
      else counts.results++;
    },
  );
  await checkProperty(`stream: ${backend} upstream -> every client`, property, runs, counts);

  const decode = (text: string, chunks: Uint8Array[]) => {
    const decoder = codecFor(backend).createStreamDecoder(context(false, true));
    return collapseStream([...readUpstreamSse(chunks).flatMap((m) => decoder.push(m)), ...decoder.end()]);
  };
  let harmlessIndex = 0;
  const harmless = fc.property(source(backend), fc.array(sseDamage().filter(isHarmless), { maxLength: 3 }), chunking(), (src, damage, how) => {
    const text = damageSse(src.text, damage);
    heartbeat({ property: `stream: ${backend} harmless changes`, caseIndex: harmlessIndex++, seed, input: shorten(JSON.stringify({ text, damage, how })) });
    const expected = decode(src.text, [Buffer.from(src.text, 'utf8')]);
    assert.deepEqual(decode(text, chunk(Buffer.from(text, 'utf8'), how)), expected);
  });
  await checkProperty(`stream: ${backend} upstream, harmless changes and any chunking decode the same`, harmless, Math.ceil(runs / 2));
}
