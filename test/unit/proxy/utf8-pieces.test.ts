// Bodies go upstream as UTF-8 pieces under 128 KiB (app/proxy/utf8-pieces.ts, ADR 0014): the
// pieces must be exactly the body's bytes, whatever characters sit at a cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PIECE_CHARS, utf8Pieces } from '../../../app/proxy/utf8-pieces';

const joined = (text: string) => Buffer.concat(utf8Pieces(text));

test('a short body is one piece, its bytes', () => {
  assert.deepEqual(utf8Pieces('{"a":"é"}'), [Buffer.from('{"a":"é"}')]);
  assert.deepEqual(utf8Pieces(''), [Buffer.from('')]);
  assert.equal(utf8Pieces('x'.repeat(PIECE_CHARS)).length, 1);
});

test('a long body is cut into pieces under 128 KiB whose bytes are the body, a surrogate pair at every possible cut', () => {
  for (let shift = 0; shift < 2; shift++) {
    // Four-byte characters only (after a shift): a cut at PIECE_CHARS lands between the halves of one in one of the two runs.
    const text = `${'a'.repeat(shift)}${'😀'.repeat(PIECE_CHARS * 2)}`;
    const pieces = utf8Pieces(text);
    assert.ok(pieces.length >= 4, `${pieces.length} pieces`);
    for (const piece of pieces) assert.ok(piece.length < 128 * 1024, `a piece of ${piece.length} bytes`);
    assert.ok(joined(text).equals(Buffer.from(text)), 'no half of a pair became U+FFFD');
  }
});

test('three-byte characters: the largest possible piece is still under 128 KiB', () => {
  const text = '€'.repeat(PIECE_CHARS * 3 + 7);
  const pieces = utf8Pieces(text);
  assert.equal(Math.max(...pieces.map((p) => p.length)), PIECE_CHARS * 3);
  assert.ok(PIECE_CHARS * 3 < 128 * 1024);
  assert.ok(joined(text).equals(Buffer.from(text)));
});
