import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseEventSplitter } from '../../../../app/proxy/sse/sse-event-splitter';

test('passes whole events at once and holds an unfinished tail', () => {
  const s = new SseEventSplitter();
  assert.equal(s.push('event: a\ndata: 1\n\nevent: b\nda'), 'event: a\ndata: 1\n\n');
  assert.equal(s.atBoundary, false);
  assert.equal(s.push('ta: 2\n'), '');
  assert.equal(s.push('\n'), 'event: b\ndata: 2\n\n');
  assert.equal(s.atBoundary, true);
});

test('finds boundaries split across pushes and CRLF boundaries', () => {
  const s = new SseEventSplitter();
  assert.equal(s.push('data: x\r\n\r'), '');
  assert.equal(s.push('\ndata: y'), 'data: x\r\n\r\n');
  assert.equal(s.takeTail(), 'data: y');
  assert.equal(s.atBoundary, true);
});
