import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDurationMs } from '../../../app/limits/rate-limit-headers';
import { parseRateLimitHeaders } from '../../../app/stats/rate-limit-headers';

const NOW = Date.parse('2026-05-01T12:00:00.000Z');

test('OpenAI-style headers, reset as a duration', () => {
  const q = parseRateLimitHeaders(
    new Headers({
      'x-ratelimit-limit-requests': '40',
      'x-ratelimit-remaining-requests': '37',
      'x-ratelimit-reset-requests': '1m30s',
      'x-ratelimit-remaining-tokens': '99000',
      'x-ratelimit-reset-tokens': '250ms',
    }),
    NOW,
  );
  assert.deepEqual(q, {
    observedAt: '2026-05-01T12:00:00.000Z',
    requestsRemaining: 37,
    requestsLimit: 40,
    requestsResetAt: '2026-05-01T12:01:30.000Z',
    tokensRemaining: 99000,
    tokensResetAt: '2026-05-01T12:00:00.250Z',
  });
});

test('Anthropic headers, reset as RFC 3339', () => {
  const q = parseRateLimitHeaders(
    {
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
      'anthropic-ratelimit-requests-reset': '2026-05-01T12:00:05Z',
    },
    NOW,
  );
  assert.equal(q?.requestsRemaining, 49);
  assert.equal(q?.requestsLimit, 50);
  assert.equal(q?.requestsResetAt, '2026-05-01T12:00:05.000Z');
});

test('Moonshot X-RateLimit-* headers, any case, reset in seconds or as a timestamp', () => {
  const q = parseRateLimitHeaders({ 'X-RateLimit-Limit': '200', 'X-RateLimit-Remaining': '12', 'X-RateLimit-Reset': '7' }, NOW);
  assert.equal(q?.requestsRemaining, 12);
  assert.equal(q?.requestsLimit, 200);
  assert.equal(q?.requestsResetAt, '2026-05-01T12:00:07.000Z');
  const epoch = parseRateLimitHeaders({ 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': String(NOW / 1000 + 60) }, NOW);
  assert.equal(epoch?.requestsResetAt, '2026-05-01T12:01:00.000Z');
});

test('no quota headers, or garbage values: nothing', () => {
  assert.equal(parseRateLimitHeaders({ 'content-type': 'application/json' }, NOW), undefined);
  assert.equal(parseRateLimitHeaders({ 'x-ratelimit-remaining-requests': 'lots', 'x-ratelimit-reset-requests': 'soon' }, NOW), undefined);
  assert.equal(parseDurationMs('6m0s'), 360_000);
  assert.equal(parseDurationMs('1h2m3.5s'), 3_723_500);
  assert.equal(parseDurationMs('6 minutes'), undefined);
});
