/**
 * How the real Codex CLI (0.169, offline) reacts to the errors the Responses codec writes, as the
 * codec intends (field notes, "What Codex requires of the stream"):
 * - a 429 without a known delay still gets `retry-after`, so Codex retries it and goes on;
 * - a context overflow (NIM's wording) is a 400 `context_length_exceeded`: Codex stops at once
 *   with its own "ran out of room in the model's context window", no retry;
 * - an error mid-stream is `response.failed`: Codex retries the turn;
 * - a max_tokens stop is `response.incomplete`: Codex does not retry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { responsesCodec } from '../../../app/codecs/responses/index';
import { apiError } from '../../../app/ir/errors';
import type { StreamEvent } from '../../../app/ir/stream';
import { ToolNameMap } from '../../../app/translate/tool-names';
import { runCodex } from './codex-harness';
import type { Handler } from './codex-harness';

const TIMEOUT = { timeout: 120_000 };

function stream(events: StreamEvent[]): string {
  const encoder = responsesCodec.createStreamEncoder({ toolNames: new ToolNameMap([]), requestedModel: 'kimi-k2.6' });
  return events.map((e) => encoder.encode(e)).join('');
}

function answer(text: string, stop: 'end_turn' | 'max_tokens' = 'end_turn'): StreamEvent[] {
  return [
    { type: 'message_start', id: 'u', model: 'm', usage: { inputTokens: 0, outputTokens: 0 } },
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'block_delta', index: 0, delta: { type: 'text', text } },
    { type: 'block_stop', index: 0 },
    { type: 'message_delta', stopReason: stop, usage: { inputTokens: 10, outputTokens: 3 } },
    { type: 'message_stop' },
  ];
}

/** Answers request n with the n-th reply (the last one repeats). */
function scripted(replies: Array<(res: Parameters<Handler>[1]) => void>): { handler: Handler; count: () => number } {
  let n = 0;
  return {
    handler: (_body, res) => replies[Math.min(n++, replies.length - 1)]!(res),
    count: () => n,
  };
}

const sendError = (error: ReturnType<typeof apiError>) => (res: Parameters<Handler>[1]) => {
  const encoded = responsesCodec.encodeError(error);
  res.writeHead(encoded.status, { 'content-type': 'application/json', ...encoded.headers }).end(JSON.stringify(encoded.body));
};
const sendStream = (events: StreamEvent[]) => (res: Parameters<Handler>[1]) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' }).end(stream(events));
};

test('a 429 with no known delay gets retry-after: Codex retries and finishes the turn', TIMEOUT, async () => {
  const script = scripted([sendError(apiError('rate_limit', 'Too Many Requests')), sendStream(answer('Recovered after the wait.'))]);
  const started = Date.now();
  const run = await runCodex('say hi', script.handler);
  assert.equal(run.code, 0, run.out.slice(-2000));
  assert.equal(script.count(), 2);
  assert.match(run.out, /Recovered after the wait\./);
  assert.ok(Date.now() - started >= 4000, 'Codex waited the retry-after it was given');
});

test('a context overflow is context_length_exceeded: Codex says so at once, without retrying', TIMEOUT, async () => {
  const overflow = apiError('invalid_request', "This model's maximum context length is 262144 tokens. However, you requested 300000 tokens (290000 in the messages, 10000 in the completion).");
  const script = scripted([sendError(overflow)]);
  const run = await runCodex('say hi', script.handler);
  assert.notEqual(run.code, 0);
  assert.equal(script.count(), 1);
  assert.match(run.out, /Codex ran out of room in the model's context window/);
});

test('an error mid-stream (response.failed) makes Codex retry the turn', TIMEOUT, async () => {
  const failing: StreamEvent[] = [
    ...answer('par').slice(0, 3),
    { type: 'error', error: apiError('overloaded', 'upstream overloaded', { retryAfterSeconds: 1 }) },
  ];
  const script = scripted([sendStream(failing), sendStream(answer('Second try worked.'))]);
  const run = await runCodex('say hi', script.handler);
  assert.equal(run.code, 0, run.out.slice(-2000));
  assert.ok(script.count() >= 2, `Codex retried (${script.count()} requests)`);
  assert.match(run.out, /Second try worked\./);
});

test('a max_tokens stop (response.incomplete) is not retried', TIMEOUT, async () => {
  const script = scripted([sendStream(answer('cut sh', 'max_tokens')), sendStream(answer('should not be asked'))]);
  const run = await runCodex('say hi', script.handler);
  assert.equal(script.count(), 1, run.out.slice(-2000));
  assert.doesNotMatch(run.out, /should not be asked/);
});
