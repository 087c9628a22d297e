import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newCompletionId, newMessageId, newResponseId, randomBase62 } from '../../../app/codecs/minted-ids';

test('ids are shaped like the real ones: msg_ + 24 base62, chatcmpl- + 29 base62', () => {
  assert.match(newMessageId(), /^msg_[0-9A-Za-z]{24}$/);
  assert.match(newCompletionId(), /^chatcmpl-[0-9A-Za-z]{29}$/);
  assert.match(newResponseId('anthropic'), /^msg_[0-9A-Za-z]{24}$/);
  assert.match(newResponseId('openai'), /^chatcmpl-[0-9A-Za-z]{29}$/);
});

test('10 000 ids, no repeat; every base62 character used, none much more than the others', () => {
  const ids = new Set(Array.from({ length: 10_000 }, newMessageId));
  assert.equal(ids.size, 10_000);
  const counts = new Map<string, number>();
  for (const ch of randomBase62(62_000)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  assert.equal(counts.size, 62);
  // 1000 expected per character; an unbiased source stays well within +-20 %.
  for (const [ch, n] of counts) assert.ok(n > 800 && n < 1200, `${ch}: ${n}`);
});
