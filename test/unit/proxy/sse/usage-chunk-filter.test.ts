import { test } from 'node:test';
import assert from 'node:assert/strict';
import { askForUsage, withoutUsageChunks } from '../../../../app/proxy/sse/usage-chunk-filter';

const content = 'data: {"id":"c","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n';
const finish = 'data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n';
const usage = 'data: {"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}\n\n';
const done = 'data: [DONE]\n\n';

test('drops only the usage-only chunk and keeps everything else byte for byte', () => {
  assert.equal(withoutUsageChunks(content + finish + usage + done), content + finish + done);
  assert.equal(withoutUsageChunks(usage), '');
});

test('text without a usage-only chunk is returned unchanged (same string)', () => {
  const crlf = content.replace(/\n/g, '\r\n');
  assert.equal(withoutUsageChunks(crlf + done), crlf + done);
  const emptyChoicesNoUsage = 'data: {"choices":[]}\n\n';
  assert.equal(withoutUsageChunks(emptyChoicesNoUsage), emptyChoicesNoUsage);
  const notJson = 'data: "choices":[] nonsense\n\n';
  assert.equal(withoutUsageChunks(notJson), notJson);
});

test('askForUsage adds include_usage to streaming requests and says whether the client asked', () => {
  assert.deepEqual(askForUsage({ stream: true }), { body: { stream: true, stream_options: { include_usage: true } }, clientAsked: false });
  const asked = { stream: true, stream_options: { include_usage: true } };
  assert.deepEqual(askForUsage(asked), { body: asked, clientAsked: true });
  assert.deepEqual(askForUsage({ stream: false }), { body: { stream: false }, clientAsked: false });
  assert.deepEqual(askForUsage({ stream: true, stream_options: { other: 1 } }).body.stream_options, { other: 1, include_usage: true });
});
