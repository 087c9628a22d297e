/**
 * Errors for Responses clients, chosen for Codex: a context overflow (any upstream's wording)
 * is a 400 with code context_length_exceeded; a 429 always has retry-after (default when the
 * upstream gave none) and says "try again in Ns"; wording and status kept otherwise. Whole
 * responses both ways: fresh resp_ id, incomplete for max_tokens, failed bodies as errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY_AFTER_SECONDS } from '../../../../app/codecs/responses/errors';
import { responsesCodec } from '../../../../app/codecs/responses/index';
import { apiError, ApiErrorException } from '../../../../app/ir/errors';
import { ToolNameMap } from '../../../../app/translate/tool-names';
import { sampleResponse } from './ir-samples';

const ctx = () => ({ toolNames: new ToolNameMap([]), requestedModel: 'gpt-5-codex' });
type Body = { error: { message: string; type: string; code: string | null } };

test('context overflow, in NIM or Moonshot wording, is a 400 with code context_length_exceeded', () => {
  for (const message of ["This model's maximum context length is 262144 tokens. However, you requested 300000 tokens", 'Your request exceeded model token limit: 262144']) {
    const encoded = responsesCodec.encodeError(apiError('invalid_request', message));
    assert.equal(encoded.status, 400);
    assert.equal((encoded.body as Body).error.code, 'context_length_exceeded');
    assert.equal((encoded.body as Body).error.message, message);
  }
});

test('a 429 always carries retry-after and says when to try again', () => {
  const bare = responsesCodec.encodeError(apiError('rate_limit', 'Too Many Requests'));
  assert.equal(bare.status, 429);
  assert.equal(bare.headers['retry-after'], String(DEFAULT_RETRY_AFTER_SECONDS));
  assert.equal((bare.body as Body).error.message, `Too Many Requests Please try again in ${DEFAULT_RETRY_AFTER_SECONDS}s.`);
  assert.equal((bare.body as Body).error.code, 'rate_limit_exceeded');
  const timed = responsesCodec.encodeError(apiError('rate_limit', 'slow down', { retryAfterSeconds: 2.2 }));
  assert.equal(timed.headers['retry-after'], '3');
  const quota = responsesCodec.encodeError(apiError('rate_limit', 'You exceeded your current quota', { code: 'insufficient_quota' }));
  assert.equal((quota.body as Body).error.code, 'insufficient_quota');
});

test('other errors keep status and wording, with no retry-after', () => {
  const encoded = responsesCodec.encodeError(apiError('overloaded', 'busy'));
  assert.equal(encoded.status, 529);
  assert.deepEqual(encoded.headers, {});
  assert.equal((encoded.body as Body).error.message, 'busy');
});

test('encodeResponse: a fresh resp_ id, completed, items with the namespace split back out', () => {
  const body = responsesCodec.encodeResponse(sampleResponse(), ctx()) as { id: string; status: string; output: Array<Record<string, unknown>>; model: string };
  assert.match(body.id, /^resp_[0-9A-Za-z]{48}$/);
  assert.equal(body.status, 'completed');
  assert.equal(body.model, 'gpt-5-codex');
  assert.deepEqual(body.output.map((i) => i.type), ['reasoning', 'message', 'function_call', 'function_call']);
  assert.equal(body.output[2]!.name, 'wait_agent');
  assert.equal(body.output[2]!.namespace, 'multi_agent_v1');
  const cut = responsesCodec.encodeResponse({ ...sampleResponse(), stopReason: 'max_tokens' }, ctx()) as { status: string; incomplete_details: unknown };
  assert.equal(cut.status, 'incomplete');
  assert.deepEqual(cut.incomplete_details, { reason: 'max_output_tokens' });
});

test('decodeResponse: an incomplete response is max_tokens; a failed one is thrown as its error', () => {
  const ir = responsesCodec.decodeResponse({ id: 'r', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ type: 'message', content: [{ type: 'output_text', text: 'cu' }] }] }, ctx());
  assert.equal(ir.stopReason, 'max_tokens');
  assert.deepEqual(ir.content, [{ type: 'text', text: 'cu' }]);
  assert.throws(
    () => responsesCodec.decodeResponse({ id: 'r', status: 'failed', error: { code: 'server_error', message: 'boom' } }, ctx()),
    (error: unknown) => error instanceof ApiErrorException && error.apiError.message === 'boom' && error.apiError.kind === 'api_error',
  );
});
