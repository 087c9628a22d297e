import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiError } from '../../../app/ir/errors';
import { isContextOverflow, overflowNumbers, promptTooLongError } from '../../../app/translate/context-overflow';

test('recognises OpenAI, vLLM, NIM, Moonshot and Anthropic overflow wordings', () => {
  const overflow = [
    "This model's maximum context length is 262144 tokens. However, you requested 270000 tokens (269000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
    'Invalid request: Your request exceeded model token limit: 262144',
    'prompt is too long: 210000 tokens > 200000 maximum',
    'input length and `max_tokens` exceed context limit: 198000 + 32000 > 200000',
    'context_length_exceeded',
  ];
  for (const message of overflow) assert.equal(isContextOverflow(apiError('invalid_request', message)), true, message);
  assert.equal(isContextOverflow(apiError('invalid_request', 'bad request', { code: 'context_length_exceeded' })), true);
});

test('does not mistake other errors (including token rate limits) for overflow', () => {
  const other = [
    apiError('invalid_request', 'messages.0.content: Input should be a valid list'),
    apiError('rate_limit', 'Rate limit reached: too many tokens per minute; maximum context length is irrelevant'),
    apiError('authentication', 'invalid x-api-key'),
    apiError('overloaded', 'Overloaded'),
  ];
  for (const e of other) assert.equal(isContextOverflow(e), false, e.message);
});

test('overflowNumbers reads the counts the upstream states', () => {
  assert.deepEqual(overflowNumbers("This model's maximum context length is 262144 tokens. However, you requested 270000 tokens"), { actual: 270000, limit: 262144 });
  assert.deepEqual(overflowNumbers('Your request exceeded model token limit: 262144'), { limit: 262144 });
  assert.deepEqual(
    overflowNumbers("This model's maximum context length is 131072 tokens and your request has 140,000 input tokens"),
    { actual: 140000, limit: 131072 },
  );
  assert.deepEqual(overflowNumbers('nothing here'), {});
});

test('promptTooLongError produces the invalid_request_error Claude Code compacts on', () => {
  const e = promptTooLongError(270000, 262144, 'exceeded model token limit: 262144');
  assert.equal(e.kind, 'invalid_request');
  assert.equal(e.status, 400);
  assert.match(e.message, /^prompt is too long: 270000 tokens > 262144 maximum/);
  assert.ok(e.message.includes('exceeded model token limit: 262144'));
  assert.equal(promptTooLongError(10, 5).message, 'prompt is too long: 10 tokens > 5 maximum');
  assert.equal(promptTooLongError(undefined, 5).message, 'prompt is too long');
});

test('completionOverflow reads vLLM/OpenAI "(N in the messages, M in the completion)"; fittingMaxTokens leaves the room that is left', async () => {
  const { completionOverflow, fittingMaxTokens } = await import('../../../app/translate/context-overflow');
  const o = completionOverflow("This model's maximum context length is 131072 tokens. However, you requested 150,000 tokens (86,000 in the messages, 64,000 in the completion). Please reduce the length of the messages or completion.");
  assert.deepEqual(o, { promptTokens: 86000, completionTokens: 64000, limit: 131072 });
  assert.equal(fittingMaxTokens(o!), 131072 - 86000 - 16);
  assert.equal(fittingMaxTokens({ promptTokens: 131000, limit: 131072 }), undefined, 'too little room: compact instead');
  assert.equal(completionOverflow('prompt is too long: 300000 tokens > 262144 maximum'), undefined);
});
