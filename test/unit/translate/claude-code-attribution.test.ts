import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isClaudeCodeAttribution } from '../../../app/translate/claude-code-attribution';

test('recognises the billing attribution line, and only it', () => {
  assert.equal(isClaudeCodeAttribution('x-anthropic-billing-header: cc_version=2.1.197.a3f; cc_entrypoint=cli;'), true);
  assert.equal(isClaudeCodeAttribution('\n x-anthropic-billing-header: cc_version=1'), true);
  assert.equal(isClaudeCodeAttribution("You are Claude Code, Anthropic's official CLI for Claude."), false);
  assert.equal(isClaudeCodeAttribution('Note: x-anthropic-billing-header: appears later'), false);
  assert.equal(isClaudeCodeAttribution(''), false);
});
