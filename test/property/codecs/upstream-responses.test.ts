/**
 * Property, every backend format and every client format: an upstream's whole (non-streamed)
 * answer, valid or damaged, decodes to the IR and encodes for the client as a JSON body, or is
 * refused with an ApiErrorException (the proxy's "could not read" error); an upstream error
 * response (any status, any body, JSON or text) decodes to an ApiError that every client format
 * encodes in its own error shape (4xx or 5xx). Nothing else may be thrown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { WireFormat } from '../../../app/codecs/codec';
import { codecFor, WIRE_FORMATS } from '../../../app/codecs/registry';
import { ApiErrorException } from '../../../app/ir/errors';
import { encodeClientError } from '../../../app/proxy/client-errors';
import { ToolNameMap } from '../../../app/translate/tool-names';
import { KIMI_TEXT_TOOL_CALLS } from '../../../app/quirks/kimi';
import { responseBody } from '../arbitraries/wire-bodies';
import { damaged } from '../arbitraries/json-mutation';
import { assertClientErrorBody } from '../client-shapes';
import { checkProperty } from '../fuzz-settings';

const context = (kimi: boolean) => ({
  toolNames: new ToolNameMap(['Bash', 'Write', 'exec_command']),
  requestedModel: 'client-model',
  responseId: 'resp_fixed',
  ...(kimi ? { textToolCalls: KIMI_TEXT_TOOL_CALLS } : {}),
});

for (const backend of WIRE_FORMATS) {
  test(`${backend} upstream answers, damaged or not, reach every client format as a response or a readable refusal`, async () => {
    const counts = { translated: 0, refused: 0 };
    await checkProperty(
      `codec: ${backend} upstream response -> every client`,
      fc.property(responseBody(backend), fc.boolean(), (body, kimi) => {
        const ctx = context(kimi);
        let decoded;
        try {
          decoded = codecFor(backend).decodeResponse(body, ctx);
        } catch (err) {
          if (!(err instanceof ApiErrorException)) throw err;
          for (const client of WIRE_FORMATS) assertClientErrorBody(client, JSON.parse(encodeClientError(client, err.apiError).body), `${client} refusal`);
          counts.refused++;
          return;
        }
        for (const client of WIRE_FORMATS) assert.equal(typeof JSON.stringify(codecFor(client).encodeResponse(decoded, ctx)), 'string');
        counts.translated++;
      }),
      300,
      counts,
    );
    assert.ok(counts.translated > 0 && counts.refused > 0, `both outcomes seen: ${JSON.stringify(counts)}`);
  });
}

const errorBodies = fc.oneof(
  damaged(fc.constantFrom<unknown>(
    { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
    { error: { message: 'bad', type: 'invalid_request_error', param: null, code: 'context_length_exceeded' } },
    { status: 429, title: 'Too Many Requests' },
  )),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', '<html>502 Bad Gateway</html>', 'upstream connect error or disconnect/reset before headers'),
);
const headers = fc.dictionary(fc.constantFrom('retry-after', 'x-ratelimit-reset-requests', 'anthropic-ratelimit-requests-reset', 'content-type'), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('7', '-1', '1e309', '6m0s', 'Wed, 21 Oct 2015 07:28:00 GMT')));

for (const backend of WIRE_FORMATS) {
  test(`${backend} upstream errors of any status and body become an error in every client's shape`, async () => {
    await checkProperty(
      `codec: ${backend} upstream error -> every client`,
      fc.property(fc.integer({ min: 400, max: 599 }), errorBodies, headers, (status, body, h) => {
        const error = codecFor(backend).decodeError(status, body, h);
        assert.ok(error.status >= 400 && error.status <= 599, `decoded status ${error.status} for upstream ${status}`);
        for (const client of WIRE_FORMATS as WireFormat[]) {
          const encoded = encodeClientError(client, error);
          // An upstream 408 is answered as a gateway timeout (504) by design: the class may change, the range not.
          assert.ok(encoded.status >= 400 && encoded.status <= 599, `${client}: status ${encoded.status}`);
          assertClientErrorBody(client, JSON.parse(encoded.body), `${client} error`);
          for (const value of Object.values(encoded.headers)) assert.doesNotMatch(value, /[\r\n]/, 'no header injection');
        }
      }),
      300,
    );
  });
}
