import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost } from '../../../app/proxy/guard';
import { bearerToken, tokensEqual } from '../../../app/proxy/tokens';
import { clientFormatOf } from '../../../app/proxy/client-format';
import { redactSecrets } from '../../../app/proxy/secrets';

test('loopback host names pass, others do not', () => {
  for (const host of ['127.0.0.1', '127.0.0.1:8080', 'localhost', 'LOCALHOST:1', '[::1]', '[::1]:3456']) assert.ok(isLoopbackHost(host), host);
  for (const host of [undefined, '', 'localhost.evil.com', '127.0.0.1.nip.io', 'evil.com:127', '::1', '10.0.0.1']) assert.ok(!isLoopbackHost(host), String(host));
});

test('token helpers', () => {
  assert.ok(tokensEqual('abc', 'abc'));
  assert.ok(!tokensEqual('abc', 'abcd'));
  assert.ok(!tokensEqual('abcd', 'abc'), 'a longer token that starts with the expected one');
  assert.ok(!tokensEqual('', 'abc'));
  assert.ok(!tokensEqual('xbc', 'abc'), 'differs at the first character');
  assert.ok(!tokensEqual('abx', 'abc'), 'differs at the last character');
  assert.ok(!tokensEqual('ab\u0163', 'abc'), 'a code unit that differs beyond the low byte');
  const token = 'pb-client-' + 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo';
  assert.ok(tokensEqual(token.slice(), token));
  assert.equal(bearerToken('Bearer  tok '), 'tok');
  assert.equal(bearerToken('Basic tok'), undefined);
});

test('client format by route, then by anthropic-version', () => {
  assert.equal(clientFormatOf('/v1/messages?beta=true', {}), 'anthropic');
  assert.equal(clientFormatOf('/v1/messages/count_tokens', {}), 'anthropic');
  assert.equal(clientFormatOf('/v1/chat/completions', { 'anthropic-version': 'x' }), 'openai');
  assert.equal(clientFormatOf('/v1/models', { 'anthropic-version': 'x' }), 'anthropic');
  assert.equal(clientFormatOf('/v1/models', {}), 'openai');
});

test('secrets are redacted from text', () => {
  assert.equal(redactSecrets('bad key nvapi-123456 here', ['nvapi-123456', undefined]), 'bad key [redacted] here');
});
