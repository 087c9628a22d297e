/**
 * Property of the pass-through path's SseEventSplitter: whatever the chunking, with LF, CRLF or
 * CR line endings (one style per stream, as servers write them), every piece it lets through ends
 * exactly where an event ends (never inside one, so a ping or an error event can go between),
 * nothing is lost or reordered, and once the stream's last event is complete nothing is held back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SseEventSplitter } from '../../../../app/proxy/sse/sse-event-splitter';
import { chunk, chunking } from '../../arbitraries/sse-damage';
import { checkProperty } from '../../fuzz-settings';

const line = fc.oneof(
  fc.string({ maxLength: 30 }).map((s) => `data: ${s.replace(/[\r\n]/g, ' ')}`),
  fc.constantFrom('event: message_delta', ': comment', 'id: 3', 'retry: 10', 'data:', 'data: {"a":"日本🧪"}'),
);
const event = fc.array(line, { minLength: 1, maxLength: 4 });

test('the SSE splitter cuts only at event ends, loses nothing and holds nothing back after a complete event', async () => {
  await checkProperty(
    'sse splitter: any chunking, LF/CRLF/CR',
    fc.property(fc.array(event, { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'), chunking(), (events, eol, how) => {
      const ends = new Set<number>();
      let text = '';
      for (const lines of events) {
        text += lines.join(eol) + eol + eol;
        ends.add(text.length);
      }
      const splitter = new SseEventSplitter();
      let out = '';
      // Chunk by UTF-16 units through bytes: decode each piece as the proxy does.
      const utf8 = new TextDecoder();
      for (const piece of chunk(Buffer.from(text, 'utf8'), how)) {
        const passed = splitter.push(utf8.decode(piece, { stream: true }));
        out += passed;
        if (passed) assert.ok(ends.has(out.length), `a piece ended inside an event, at ${out.length} of ${JSON.stringify(text)}`);
      }
      out += splitter.push(utf8.decode());
      assert.equal(out, text, 'every complete event passed, in order');
      assert.ok(splitter.atBoundary, 'nothing held back');
      assert.equal(splitter.takeTail(), '');
    }),
    400,
  );
});
