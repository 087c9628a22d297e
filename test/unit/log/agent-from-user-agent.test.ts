import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentFromHeaders, agentFromUserAgent } from '../../../app/log/agent-from-user-agent';

test('known agents are named from their user-agent', () => {
  const cases: Array<[string | undefined, string]> = [
    ['claude-cli/2.1.197 (external, cli)', 'claude-code'],
    ['opencode/1.18.33 ai-sdk/provider-utils/3.0.1 runtime/bun/1.2', 'opencode'],
    ['codex_cli_rs/0.169.0 (Ubuntu 24.4.0; x86_64) xterm-256color', 'codex'],
    ['Aider/0.86', 'aider'],
    ['Goose/1.0', 'goose'],
    ['Cline/3.2', 'cline'],
    ['OpenAI/Python 1.99.0', 'openai-sdk'],
    ['Anthropic/JS 0.60.0', 'anthropic-sdk'],
    ['curl/8.5.0', 'curl'],
    ['MyTool/1.2 (linux)', 'mytool'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ];
  for (const [ua, agent] of cases) assert.equal(agentFromUserAgent(ua), agent, String(ua));
});

test('agent-specific headers identify the agent when the user-agent does not', () => {
  assert.equal(agentFromHeaders({ 'x-claude-code-session-id': 'abc' }), 'claude-code');
  assert.equal(agentFromHeaders({ 'x-codex-beta-features': 'x' }), 'codex');
  assert.equal(agentFromHeaders({ 'user-agent': 'opencode/1.0', 'x-codex-x': '1' }), 'opencode');
  assert.equal(agentFromHeaders({}), 'unknown');
});
