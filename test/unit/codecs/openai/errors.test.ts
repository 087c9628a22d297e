import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openaiCodec } from '../../../../app/codecs/openai/index';
import { parseResetDuration, parseRetryAfter } from '../../../../app/codecs/openai/errors';

test('OpenAI error JSON keeps message, code and param', () => {
  const err = openaiCodec.decodeError(400, { error: { message: 'Invalid tool name', type: 'invalid_request_error', param: 'tools[0].function.name', code: 'invalid_value' } }, {});
  assert.deepEqual(err, { kind: 'invalid_request', status: 400, message: 'Invalid tool name', code: 'invalid_value', param: 'tools[0].function.name' });
});

test('NIM problem+json: detail, else title; x-ratelimit-reset-requests on a 429', () => {
  const a = openaiCodec.decodeError(429, { status: 429, title: 'Too Many Requests' }, { 'x-ratelimit-reset-requests': '6m0s' });
  assert.deepEqual(a, { kind: 'rate_limit', status: 429, message: 'Too Many Requests', retryAfterSeconds: 360 });
  const b = openaiCodec.decodeError(422, { status: 422, title: 'Unprocessable Entity', detail: 'max_tokens too large' }, {});
  assert.equal(b.message, 'max_tokens too large');
  assert.equal(b.kind, 'invalid_request');
});

test('Moonshot error, plain text, empty body, retry-after seconds and HTTP date', () => {
  const m = openaiCodec.decodeError(429, '{"error":{"message":"org rate limit","type":"rate_limit_reached_error"}}', { 'Retry-After': '7' });
  assert.equal(m.message, 'org rate limit');
  assert.equal(m.retryAfterSeconds, 7);
  const t = openaiCodec.decodeError(502, '<html>Bad Gateway</html>', {});
  assert.deepEqual(t, { kind: 'api_error', status: 502, message: '<html>Bad Gateway</html>' });
  assert.match(openaiCodec.decodeError(503, '', {}).message, /503/);
  const date = new Date(Date.now() + 30_000).toUTCString();
  const d = openaiCodec.decodeError(503, '', { 'retry-after': [date] });
  assert.ok(d.retryAfterSeconds !== undefined && d.retryAfterSeconds >= 28 && d.retryAfterSeconds <= 31, String(d.retryAfterSeconds));
  assert.equal(openaiCodec.decodeError(500, '', { 'x-ratelimit-reset-requests': '6m0s' }).retryAfterSeconds, undefined);
});

test('durations and retry-after parsing', () => {
  assert.equal(parseResetDuration('6m0s'), 360);
  assert.equal(parseResetDuration('1.5s'), 2);
  assert.equal(parseResetDuration('120ms'), 1);
  assert.equal(parseResetDuration('1h2m3s'), 3723);
  assert.equal(parseResetDuration('12'), 12);
  assert.equal(parseResetDuration('soon'), undefined);
  assert.equal(parseRetryAfter('0'), 0);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT')), 60);
  assert.equal(parseRetryAfter('garbage'), undefined);
});

test('encodeError: OpenAI types, rate-limit code, retry-after header', () => {
  assert.deepEqual(openaiCodec.encodeError({ kind: 'rate_limit', status: 429, message: 'slow down', retryAfterSeconds: 2.2 }), {
    status: 429,
    headers: { 'retry-after': '3' },
    body: { error: { message: 'slow down', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } },
  });
  const cases = [
    ['invalid_request', 'invalid_request_error'],
    ['authentication', 'authentication_error'],
    ['permission', 'permission_error'],
    ['not_found', 'not_found_error'],
    ['api_error', 'server_error'],
  ] as const;
  for (const [kind, type] of cases) {
    const e = openaiCodec.encodeError({ kind, status: 400, message: 'm', param: 'p' });
    assert.deepEqual(e.headers, {});
    assert.equal((e.body as { error: { type: string; param: string } }).error.type, type);
    assert.equal((e.body as { error: { type: string; param: string } }).error.param, 'p');
  }
});
