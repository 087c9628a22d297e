/**
 * Warnings about what would override Patchbay's config: ANTHROPIC_* / OPENAI_* (and each agent's
 * own) variables in the environment Patchbay sees, and an env block in ~/.claude/settings.json
 * pointing elsewhere. Key values are never shown.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AgentConfigService } from '../../../app/agents/agent-config-service';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';
import { INPUT } from './write-fixture';

const SECRET = 'sk-ant-api03-very-secret-value';

function service(home: string, env: NodeJS.ProcessEnv) {
  return new AgentConfigService({ recordFile: join(home, 'record.json'), home: () => home, env: () => env });
}

async function warningsOf(home: string, env: NodeJS.ProcessEnv): Promise<Record<string, string[]>> {
  return Object.fromEntries((await service(home, env).list(INPUT)).map((a) => [a.id, a.warnings]));
}

test('environment: ANTHROPIC_* for Claude Code, OPENAI_* for Aider and Goose; URLs shown, keys hidden; agreeing values are no warning', async () => {
  const home = makeTempDir('warn-home');
  try {
    const w = await warningsOf(home, {
      ANTHROPIC_BASE_URL: 'https://api.anthropic.com',
      ANTHROPIC_API_KEY: SECRET,
      ANTHROPIC_AUTH_TOKEN: INPUT.clientToken,
      OPENAI_API_BASE: 'https://api.openai.com/v1',
      OPENAI_API_KEY: SECRET,
      PATH: '/usr/bin',
    });
    assert.equal(w['claude-code']!.length, 2, w['claude-code']!.join('\n'));
    assert.match(w['claude-code']![0]!, /^ANTHROPIC_API_KEY \(value hidden\) is set in the environment/);
    assert.match(w['claude-code']![1]!, /^ANTHROPIC_BASE_URL=https:\/\/api\.anthropic\.com is set/);
    assert.deepEqual(w.aider!.map((m) => m.split(' ')[0]), ['OPENAI_API_BASE=https://api.openai.com/v1', 'OPENAI_API_KEY']);
    assert.deepEqual(w.goose!.map((m) => m.split(' ')[0]), ['OPENAI_API_KEY']);
    assert.deepEqual(w.opencode, []);
    for (const list of Object.values(w)) for (const m of list) assert.ok(!m.includes(SECRET), 'no key value in a warning');
  } finally {
    removeTempDirs(home);
  }
});

test('~/.claude/settings.json env block pointing elsewhere (or carrying an API key) is a warning; Patchbay\'s own is not', async () => {
  const home = makeTempDir('warn-home');
  try {
    mkdirSync(join(home, '.claude'));
    const file = join(home, '.claude', 'settings.json');
    writeFileSync(file, JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'https://api.moonshot.ai/anthropic', ANTHROPIC_API_KEY: SECRET } }));
    const w = (await warningsOf(home, {}))['claude-code']!;
    assert.equal(w.length, 2, w.join('\n'));
    assert.match(w[0]!, /settings\.json sets ANTHROPIC_BASE_URL=https:\/\/api\.moonshot\.ai\/anthropic in its env block, which wins over the shell/);
    assert.match(w[1]!, /ANTHROPIC_API_KEY/);
    assert.ok(!w.join('').includes(SECRET));

    await service(home, {}).write('claude-code', INPUT);
    const after = (await warningsOf(home, {}))['claude-code']!;
    assert.deepEqual(after.length, 1, 'the base URL is Patchbay\'s now; the API key the user put there stays and is still said');
    assert.match(after[0]!, /ANTHROPIC_API_KEY/);
  } finally {
    removeTempDirs(home);
  }
});
