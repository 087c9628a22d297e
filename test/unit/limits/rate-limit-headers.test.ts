import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseDurationMs,
  parseRateLimitHeaders,
  parseResetAt,
  parseRetryAfterMs,
  rateLimitWaitMs,
} from '../../../app/limits/rate-limit-headers';

const NOW = Date.UTC(2026, 10, 3, 12, 0, 0);

test('OpenAI-style durations', () => {
  assert.equal(parseDurationMs('6m0s'), 360_000);
  assert.equal(parseDurationMs('1.5s'), 1500);
  assert.equal(parseDurationMs('120ms'), 120);
  assert.equal(parseDurationMs('1h2m3s'), 3_723_000);
  assert.equal(parseDurationMs('2m30.5s'), 150_500);
  assert.equal(parseDurationMs('soon'), undefined);
  assert.equal(parseDurationMs('12'), undefined);
  assert.equal(parseDurationMs(''), undefined);
});

test('retry-after as seconds or HTTP date', () => {
  assert.equal(parseRetryAfterMs('7', NOW), 7000);
  assert.equal(parseRetryAfterMs('0.5', NOW), 500);
  assert.equal(parseRetryAfterMs(new Date(NOW + 42_000).toUTCString(), NOW), 42_000);
  assert.equal(parseRetryAfterMs(new Date(NOW - 42_000).toUTCString(), NOW), 0, 'a date in the past means now');
  assert.equal(parseRetryAfterMs('later', NOW), undefined);
});

test('reset values by magnitude and form', () => {
  assert.equal(parseResetAt('30', NOW), NOW + 30_000, 'small number: seconds from now');
  assert.equal(parseResetAt(String(NOW / 1000 + 60), NOW), NOW + 60_000, 'epoch seconds');
  assert.equal(parseResetAt(String(NOW + 5000), NOW), NOW + 5000, 'epoch ms');
  assert.equal(parseResetAt('1m0s', NOW), NOW + 60_000, 'duration');
  assert.equal(parseResetAt('2026-11-03T12:00:20Z', NOW), NOW + 20_000, 'RFC 3339');
  assert.equal(parseResetAt('garbage', NOW), undefined);
});

test('OpenAI / NIM headers (Node header object, lower-case)', () => {
  const info = parseRateLimitHeaders(
    {
      'x-ratelimit-limit-requests': '40',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1.5s',
      'x-ratelimit-limit-tokens': '100000',
      'x-ratelimit-remaining-tokens': '99000',
      'x-ratelimit-reset-tokens': '600ms',
      'content-type': 'application/json',
    },
    NOW,
  );
  assert.deepEqual(info, {
    limitRequests: 40,
    remainingRequests: 0,
    resetAt: NOW + 1500,
    limitTokens: 100_000,
    remainingTokens: 99_000,
    tokensResetAt: NOW + 600,
  });
  assert.equal(rateLimitWaitMs(info, NOW), 1500, 'no requests left: wait for the reset');
});

test('Anthropic headers, fetch Headers object, retry-after wins', () => {
  const headers = new Headers({
    'retry-after': '12',
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '0',
    'anthropic-ratelimit-requests-reset': '2026-11-03T12:00:30Z',
    'anthropic-ratelimit-tokens-limit': '80000',
    'anthropic-ratelimit-tokens-remaining': '5000',
    'anthropic-ratelimit-tokens-reset': '2026-11-03T12:00:05Z',
    'anthropic-ratelimit-output-tokens-limit': '8000',
    'anthropic-ratelimit-output-tokens-remaining': '100',
    'anthropic-ratelimit-output-tokens-reset': '2026-11-03T12:00:02Z',
  });
  const info = parseRateLimitHeaders(headers, NOW);
  assert.deepEqual(info, {
    retryAfterMs: 12_000,
    limitRequests: 50,
    remainingRequests: 0,
    resetAt: NOW + 30_000,
    limitTokens: 8000,
    remainingTokens: 100,
    tokensResetAt: NOW + 2000,
  });
  assert.equal(rateLimitWaitMs(info, NOW), 12_000);
});

test('Moonshot X-RateLimit-* in mixed case, reset in seconds or epoch', () => {
  const delta = parseRateLimitHeaders({ 'X-RateLimit-Limit': '3', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '20' }, NOW);
  assert.deepEqual(delta, { limitRequests: 3, remainingRequests: 0, resetAt: NOW + 20_000 });
  const epoch = parseRateLimitHeaders({ 'X-RateLimit-Reset': String(Math.floor(NOW / 1000) + 9), 'X-RateLimit-Remaining': ['0'] }, NOW);
  assert.deepEqual(epoch, { remainingRequests: 0, resetAt: NOW + 9000 });
  assert.equal(rateLimitWaitMs(epoch, NOW), 9000);
});

test('retry-after-ms is preferred; nothing known means no wait', () => {
  assert.equal(parseRateLimitHeaders({ 'retry-after-ms': '250', 'retry-after': '1' }, NOW).retryAfterMs, 250);
  const empty = parseRateLimitHeaders({ 'content-type': 'text/plain' }, NOW);
  assert.deepEqual(empty, {});
  assert.equal(rateLimitWaitMs(empty, NOW), undefined);
  assert.equal(rateLimitWaitMs({ remainingRequests: 3, resetAt: NOW + 9000 }, NOW), undefined, 'requests left: no wait');
});
