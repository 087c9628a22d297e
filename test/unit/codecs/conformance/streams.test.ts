/**
 * Conformance, streams, for every codec:
 * - its recorded backend stream decodes to the same IR events with the bytes cut at every
 *   position, and those events uphold the invariants of app/ir/stream.ts;
 * - the canonical IR stream survives the codec's own encoder -> bytes cut at every position ->
 *   its decoder (deltas may be split differently; ids are fresh);
 * - an error mid-stream survives as an IR error, and a stream cut short anywhere never decodes as
 *   a finished message it was not: it ends in `error`, or in a finish with every block and the
 *   stop reason (Chat Completions sends usage after its finish chunk, so a stream cut between
 *   the two finishes without usage: the one loss tolerated here).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { canonicalStream, failingStream } from './canonical-ir';
import { CODEC_CASES, contextFor, fixtureUrl } from './codec-cases';
import type { CodecCase } from './codec-cases';
import { collapseStream } from './normalize';
import { cutAt, decodeBytes } from './sse';
import { assertStreamInvariants } from './stream-invariants';
import type { StreamEvent } from '../../../../app/ir/stream';

function encodeAll(c: CodecCase, events: StreamEvent[]): Buffer {
  const encoder = c.codec.createStreamEncoder(contextFor(c));
  return Buffer.from(events.map((e) => encoder.encode(e)).join(''), 'utf8');
}

const withoutUsage = (events: unknown[]) => events.map((e) => ((e as { type: string }).type === 'message_delta' ? { ...(e as object), usage: undefined } : e));

const decode = (c: CodecCase, chunks: Uint8Array[]) => decodeBytes(c.codec.createStreamDecoder(contextFor(c)), chunks);

for (const [format, c] of Object.entries(CODEC_CASES)) {
  test(`${format}: the recorded stream decodes identically cut at every byte, upholding the IR invariants`, () => {
    const bytes = readFileSync(fixtureUrl(c.streamFixture));
    const whole = decode(c, [bytes]);
    assertStreamInvariants(whole);
    assert.equal(whole.at(-1)?.type, 'message_stop', 'the recorded stream is complete');
    assert.ok(whole.some((e) => e.type === 'block_start' && e.block.type === 'tool_use'), 'it has a tool call');
    for (let at = 0; at <= bytes.length; at++) assert.deepEqual(decode(c, cutAt(bytes, at)), whole, `cut at byte ${at}`);
  });

  test(`${format}: the canonical IR stream survives encoder -> bytes cut at every position -> decoder`, () => {
    const bytes = encodeAll(c, canonicalStream());
    const expected = collapseStream(canonicalStream());
    for (let at = 0; at <= bytes.length; at++) {
      const events = decode(c, cutAt(bytes, at));
      assertStreamInvariants(events);
      assert.deepEqual(collapseStream(events), expected, `cut at byte ${at}`);
    }
  });

  test(`${format}: an error mid-stream survives; a stream cut short never looks finished`, () => {
    const failing = decode(c, [encodeAll(c, failingStream())]);
    assertStreamInvariants(failing);
    assert.equal(failing.at(-1)?.type, 'error');

    const bytes = encodeAll(c, canonicalStream());
    const complete = collapseStream(canonicalStream());
    for (let at = 0; at < bytes.length; at++) {
      const events = decode(c, [bytes.subarray(0, at)]);
      assertStreamInvariants(events);
      const last = events.at(-1)?.type;
      assert.ok(last === 'error' || last === 'message_stop', `cut at byte ${at} ends in ${last}`);
      if (last === 'message_stop') assert.deepEqual(withoutUsage(collapseStream(events)), withoutUsage(complete), `cut at byte ${at}: finished only when everything arrived`);
    }
  });
}
