import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { anthropicCodec } from '../../../../app/codecs/anthropic/index';
import { ApiErrorException } from '../../../../app/ir/errors';

const fixture = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL('../../../fixtures/anthropic/claude-code-request.json', import.meta.url), 'utf8'));

function decodeError(body: unknown): ApiErrorException {
  try {
    anthropicCodec.decodeRequest(body);
  } catch (e) {
    assert.ok(e instanceof ApiErrorException, String(e));
    return e;
  }
  assert.fail('expected decodeRequest to throw');
}

test('a realistic Claude Code request decodes to the IR', () => {
  const req = anthropicCodec.decodeRequest(fixture());
  assert.equal(req.model, 'claude-sonnet-4-5-20250929');
  assert.equal(req.maxTokens, 32000);
  assert.equal(req.stream, true);
  // attribution block dropped, cache hints kept
  assert.deepEqual(req.system, [
    { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude.", cache: { type: 'ephemeral' } },
    {
      type: 'text',
      text: 'You are an interactive CLI tool that helps users with software engineering tasks.\n\n# Tone and style\nBe concise.',
      cache: { type: 'ephemeral', ttl: '1h' },
    },
  ]);
  // server tool dropped
  assert.deepEqual(
    req.tools.map((t) => t.name),
    ['Bash', 'Read', 'Write'],
  );
  assert.deepEqual(req.tools[2]?.cache, { type: 'ephemeral' });
  assert.equal(req.tools[0]?.inputSchema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.deepEqual(req.toolChoice, { type: 'auto' });
  assert.equal(req.parallelToolCalls, false);
  assert.deepEqual(req.thinking, { mode: 'adaptive', effort: 'high' });
  assert.equal(req.userId, fixture().metadata && (fixture().metadata as { user_id: string }).user_id);

  assert.deepEqual(
    req.messages.map((m) => m.role),
    ['user', 'assistant', 'user', 'system', 'assistant', 'user'],
  );
  assert.deepEqual(req.messages[3]?.content, [
    { type: 'text', text: 'Available agent types for the Task tool:\n- general-purpose\n- Explore' },
  ]);
  const assistant = req.messages[1]!.content;
  assert.deepEqual(assistant[0], {
    type: 'thinking',
    thinking: 'I should run the build first, then look at the screenshot.',
    signature: 'ErUBCkYIBxgCIkB0c2lnbmF0dXJl',
  });
  // ids we escaped earlier come back as the producer's own id
  assert.deepEqual(assistant[3], { type: 'tool_use', id: 'functions.Read:1', name: 'Read', input: { file_path: '/work/app/shot.png' } });

  const results = req.messages[2]!.content;
  assert.deepEqual(results[0], {
    type: 'tool_result',
    toolUseId: 'toolu_01A09q90qw90lq917835lq9',
    content: [{ type: 'text', text: "Error: Cannot find module 'vite'" }],
    isError: true,
  });
  const withImage = results[1];
  assert.equal(withImage?.type, 'tool_result');
  if (withImage?.type !== 'tool_result') return;
  assert.equal(withImage.toolUseId, 'functions.Read:1');
  assert.equal(withImage.isError, false);
  assert.equal(withImage.content[1]?.type, 'image');
  assert.deepEqual(withImage.content[1], {
    type: 'image',
    source: { kind: 'base64', mediaType: 'image/png', data: (fixture().messages as Array<{ content: Array<{ content: Array<{ source: { data: string } }> }> }>)[2]!.content[1]!.content[1]!.source.data },
  });
  // empty tool result -> "(no output)"
  assert.deepEqual(req.messages[5]?.content[0], {
    type: 'tool_result',
    toolUseId: 'toolu_01Empty',
    content: [{ type: 'text', text: '(no output)' }],
    isError: false,
  });
});

test('string content and string system become single text blocks; attribution string dropped', () => {
  const req = anthropicCodec.decodeRequest({ model: 'm', system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] });
  assert.deepEqual(req.system, [{ type: 'text', text: 'Be brief.' }]);
  assert.deepEqual(req.messages, [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
  assert.equal(req.stream, false);
  assert.deepEqual(req.tools, []);
  assert.equal(req.thinking, undefined);
  const attributed = anthropicCodec.decodeRequest({
    model: 'm',
    system: 'x-anthropic-billing-header: cc_version=1',
    messages: [{ role: 'user', content: 'hi' }],
  });
  assert.deepEqual(attributed.system, []);
});

test('thinking variants, tool_choice variants, sampling and stop sequences', () => {
  const base = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
  assert.deepEqual(anthropicCodec.decodeRequest({ ...base, thinking: { type: 'enabled', budget_tokens: 4000 } }).thinking, {
    mode: 'enabled',
    budgetTokens: 4000,
  });
  assert.deepEqual(anthropicCodec.decodeRequest({ ...base, thinking: { type: 'disabled' } }).thinking, { mode: 'disabled' });
  const tool = anthropicCodec.decodeRequest({
    ...base,
    tools: [{ name: 'A', input_schema: { type: 'object' } }],
    tool_choice: { type: 'tool', name: 'A' },
    temperature: 0.2,
    top_p: 0.9,
    top_k: 40,
    stop_sequences: ['END'],
  });
  assert.deepEqual(tool.toolChoice, { type: 'tool', name: 'A' });
  assert.equal(tool.parallelToolCalls, undefined);
  assert.equal(tool.temperature, 0.2);
  assert.equal(tool.topP, 0.9);
  assert.equal(tool.topK, 40);
  assert.deepEqual(tool.stopSequences, ['END']);
  assert.deepEqual(anthropicCodec.decodeRequest({ ...base, tool_choice: { type: 'none' } }).toolChoice, { type: 'none' });
  assert.deepEqual(anthropicCodec.decodeRequest({ ...base, tool_choice: { type: 'any' } }).toolChoice, { type: 'any' });
});

test('documents, url images and redacted thinking decode; unknown top-level fields are tolerated', () => {
  const req = anthropicCodec.decodeRequest({
    model: 'm',
    some_future_field: { x: 1 },
    messages: [
      {
        role: 'user',
        content: [
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'spec' },
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain doc' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
        ],
      },
      { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'EmwKAhgB' }, { type: 'text', text: 'ok' }] },
    ],
  });
  assert.deepEqual(req.messages[0]?.content, [
    { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, title: 'spec' },
    { type: 'document', source: { kind: 'text', mediaType: 'text/plain', data: 'plain doc' } },
    { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
  ]);
  assert.deepEqual(req.messages[1]?.content[0], { type: 'redacted_thinking', data: 'EmwKAhgB' });
});

test('a document inside a tool_result is placed right after the result', () => {
  const req = anthropicCodec.decodeRequest({
    model: 'm',
    messages: [
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't1',
            content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' } }],
          },
        ],
      },
    ],
  });
  const content = req.messages[0]!.content;
  assert.equal(content.length, 2);
  assert.equal(content[0]?.type, 'tool_result');
  assert.equal(content[1]?.type, 'document');
});

test('invalid shapes throw invalid_request errors naming the path', () => {
  const unknownBlock = decodeError({
    model: 'm',
    messages: [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'user', content: 'c' },
      { role: 'assistant', content: [{ type: 'bogus' }] },
    ],
  });
  assert.equal(unknownBlock.apiError.kind, 'invalid_request');
  assert.equal(unknownBlock.apiError.status, 400);
  assert.match(unknownBlock.apiError.message, /^messages\.3\.content\.0\.type: /);

  const badText = decodeError({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 5 }] }] });
  assert.match(badText.apiError.message, /^messages\.0\.content\.0\.text: /);

  const badRole = decodeError({ model: 'm', messages: [{ role: 'tool', content: 'x' }] });
  assert.match(badRole.apiError.message, /^messages\.0\.role: /);

  assert.match(decodeError({ messages: [{ role: 'user', content: 'x' }] }).apiError.message, /^model: /);
  assert.match(decodeError({ model: 'm', messages: [] }).apiError.message, /^messages: /);
  assert.match(decodeError({ model: 'm', messages: [{ role: 'user', content: 'x' }], tools: [{ name: 'A' }] }).apiError.message, /^tools\.0/);
  assert.match(
    decodeError({ model: 'm', messages: [{ role: 'user', content: 'x' }], thinking: { type: 'sometimes' } }).apiError.message,
    /^thinking\.type: /,
  );
  assert.equal(decodeError('not an object').apiError.kind, 'invalid_request');
  assert.equal(decodeError(null).apiError.kind, 'invalid_request');
});
