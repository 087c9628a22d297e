import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicCodec } from '../../../../app/codecs/anthropic/index';
import { excerpt, parseRetryAfter } from '../../../../app/codecs/anthropic/errors';
import { apiError } from '../../../../app/ir/errors';
import type { ApiErrorKind } from '../../../../app/ir/errors';

test('encodeError: Anthropic body, status per kind, retry-after header', () => {
  const cases: Array<[ApiErrorKind, string, number]> = [
    ['invalid_request', 'invalid_request_error', 400],
    ['authentication', 'authentication_error', 401],
    ['permission', 'permission_error', 403],
    ['not_found', 'not_found_error', 404],
    ['request_too_large', 'request_too_large', 413],
    ['rate_limit', 'rate_limit_error', 429],
    ['api_error', 'api_error', 500],
    ['timeout', 'timeout_error', 504],
    ['overloaded', 'overloaded_error', 529],
  ];
  for (const [kind, type, status] of cases) {
    const enc = anthropicCodec.encodeError(apiError(kind, `Msg for ${kind}: keep "this" wording`));
    assert.equal(enc.status, status);
    assert.deepEqual(enc.body, { type: 'error', error: { type, message: `Msg for ${kind}: keep "this" wording` } });
    assert.deepEqual(enc.headers, {});
  }
  const limited = anthropicCodec.encodeError(apiError('rate_limit', 'slow down', { retryAfterSeconds: 12.2 }));
  assert.equal(limited.headers['retry-after'], '13');
});

test('decodeError: Anthropic JSON keeps type and wording, retry-after in seconds', () => {
  const err = anthropicCodec.decodeError(
    529,
    { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    { 'retry-after': '7' },
  );
  assert.deepEqual(err, { kind: 'overloaded', status: 529, message: 'Overloaded', retryAfterSeconds: 7 });
  const fromText = anthropicCodec.decodeError(
    429,
    JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } }),
    { 'Retry-After': ['3'] },
  );
  assert.equal(fromText.kind, 'rate_limit');
  assert.equal(fromText.message, 'Number of request tokens has exceeded your per-minute rate limit');
  assert.equal(fromText.retryAfterSeconds, 3);
});

test('decodeError: OpenAI-style and unknown-type bodies fall back on the status', () => {
  const openai = anthropicCodec.decodeError(400, { error: { message: 'bad model', type: 'invalid_request', code: 'model_not_found' } }, {});
  assert.equal(openai.kind, 'invalid_request');
  assert.equal(openai.message, 'bad model');
  assert.equal(openai.code, 'model_not_found');
  assert.equal(anthropicCodec.decodeError(503, { error: { type: 'weird', message: 'down' } }, {}).kind, 'overloaded');
});

test('decodeError: HTML from a gateway becomes status + trimmed excerpt', () => {
  const html = `<html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head><body><h1>502 Bad Gateway</h1>${'<p>nginx</p>'.repeat(100)}</body></html>`;
  const err = anthropicCodec.decodeError(502, html, {});
  assert.equal(err.kind, 'api_error');
  assert.equal(err.status, 500);
  assert.ok(err.message.startsWith('upstream returned HTTP 502: 502 Bad Gateway 502 Bad Gateway nginx'), err.message);
  assert.ok(!err.message.includes('<'));
  assert.ok(!err.message.includes('color:red'));
  assert.ok(err.message.length < 260, String(err.message.length));
  assert.equal(anthropicCodec.decodeError(504, '', {}).message, 'upstream returned HTTP 504');
  assert.equal(anthropicCodec.decodeError(504, '', {}).kind, 'timeout');
});

test('parseRetryAfter reads seconds and HTTP dates', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('30', now), 30);
  assert.equal(parseRetryAfter('1.5', now), 1.5);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:42 GMT', now), 42);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
  assert.equal(excerpt('  a \n\n b  '), 'a b');
});
