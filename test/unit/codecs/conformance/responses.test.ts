/**
 * Conformance, whole responses and errors: for every codec the canonical IR response survives
 * encodeResponse (client side) -> decodeResponse (backend side), and an IR error survives
 * encodeError -> decodeError with its kind, status, wording and retry delay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiError } from '../../../../app/ir/errors';
import type { ApiError } from '../../../../app/ir/errors';
import { canonicalResponse } from './canonical-ir';
import { CODEC_CASES, contextFor } from './codec-cases';
import { normalResponse } from './normalize';

const ERRORS: ApiError[] = [
  apiError('invalid_request', 'messages: bad field'),
  apiError('authentication', 'invalid key'),
  apiError('rate_limit', 'slow down', { retryAfterSeconds: 12 }),
  apiError('api_error', 'upstream broke'),
];

for (const [format, c] of Object.entries(CODEC_CASES)) {
  test(`${format}: the canonical IR response survives encodeResponse -> decodeResponse`, () => {
    const ir = canonicalResponse();
    const wire = c.codec.encodeResponse(ir, contextFor(c));
    const again = c.codec.decodeResponse(JSON.parse(JSON.stringify(wire)), contextFor(c));
    assert.deepEqual(normalResponse(again), normalResponse(ir));
    assert.notEqual(again.id, ir.id, 'a response to a client carries a fresh id of its own');
  });

  test(`${format}: errors survive encodeError -> decodeError`, () => {
    for (const error of ERRORS) {
      const encoded = c.codec.encodeError(error);
      assert.equal(encoded.status, error.status);
      const again = c.codec.decodeError(encoded.status, JSON.parse(JSON.stringify(encoded.body)), encoded.headers);
      assert.equal(again.kind, error.kind, `${error.kind}: kind`);
      assert.equal(again.status, error.status, `${error.kind}: status`);
      assert.ok(again.message.startsWith(error.message), `${error.kind}: wording kept (${again.message})`);
      assert.equal(again.retryAfterSeconds, error.retryAfterSeconds, `${error.kind}: retry delay`);
    }
  });
}
