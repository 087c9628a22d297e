import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedTextCollector, captureBody } from '../../../app/log/body-capture';
import { REDACTED, Redactor } from '../../../app/log/redact';

const KEY = 'nvapi-Q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXc';

test('small bodies are kept whole and redacted; objects are serialised', () => {
  const r = captureBody({ model: 'kimi', headers: { authorization: `Bearer ${KEY}` } }, new Redactor(), 1000);
  assert.equal(r.truncated, false);
  assert.equal(r.text, `{"model":"kimi","headers":{"authorization":"Bearer ${REDACTED}"}}`);
  assert.equal(captureBody(Buffer.from('héllo'), new Redactor(), 100).text, 'héllo');
});

test('large bodies are capped and marked truncated', () => {
  const body = 'x '.repeat(10_000);
  const r = captureBody(body, new Redactor(), 1000);
  assert.equal(r.truncated, true);
  assert.equal(r.originalLength, 20_000);
  assert.ok(r.text.length <= 1000);
});

test('a key straddling the cap is dropped whole, not half kept', () => {
  for (let shift = 0; shift < KEY.length; shift++) {
    const body = 'a'.repeat(10) + ' '.repeat(990 - shift) + `"${KEY}" and more text after it`;
    const r = captureBody(body, new Redactor(), 1000);
    assert.equal(r.truncated, true);
    assert.ok(!r.text.includes('nvapi'), `shift ${shift}: ${JSON.stringify(r.text.slice(-20))}`);
    assert.ok(!r.text.includes(KEY.slice(6, 12)), `shift ${shift}`);
  }
});

test('streamed response text is collected with bounded memory and redacted', () => {
  const c = new BoundedTextCollector(100);
  assert.equal(c.empty, true);
  c.push('data: {"secret":"');
  c.push(new TextEncoder().encode(KEY));
  c.push('"}\n\n');
  for (let i = 0; i < 1000; i++) c.push('data: {"delta":"more"}\n\n');
  const r = c.capture(new Redactor());
  assert.equal(r.truncated, true);
  assert.ok(r.text.length <= 100);
  assert.ok(r.text.startsWith(`data: {"secret":"${REDACTED}"}`), r.text);
  assert.ok(r.originalLength > 20_000);
});
