/**
 * /api/agents on a real socket: the plugin registered as the engine will (options object with
 * getters), HOME a temporary directory: list with snippets built from the URL the request
 * reached, preview (nothing written), write, the token-rotation flag, restore (guarded, forced),
 * and the refusals with their statuses.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAdminCommandRoutes } from '../../../app/admin/http-host';
import { agentCommands } from '../../../app/api/agent-commands';
import { postJson } from '../../helpers/http';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

const home = makeTempDir('routes-home');
const data = makeTempDir('routes-data');
let token = 'pb-client-routes-0123456789abcdef';
let app: FastifyInstance;
let url: string;
const settings = join(home, '.claude', 'settings.json');
const ORIGINAL = '{\n  "permissions": { "allow": ["Bash(ls)"] },\n  "statusLine": { "type": "command", "command": "~/bin/status" }\n}\n';

before(async () => {
  process.env.HOME = home;
  mkdirSync(join(home, '.claude'));
  writeFileSync(settings, ORIGINAL);
  app = Fastify();
  registerAdminCommandRoutes(app, agentCommands({
    clientToken: () => token,
    activeModels: () => ({ main: 'moonshotai/kimi-k2.6', small: 'moonshotai/kimi-k2.5', contextWindow: 131072 }),
    recordFile: join(data, 'agents-written.json'),
    env: () => ({ ANTHROPIC_BASE_URL: 'https://api.anthropic.com' }),
  }));
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

after(async () => {
  await app.close();
  removeTempDirs(home, data);
});

async function getJson(path: string) {
  const res = await fetch(url + path, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, json: (await res.json()) as { agents: Array<Record<string, unknown> & { snippets: Array<Record<string, unknown>> }> } };
}

test('GET /api/agents: eight agents, snippets carry the URL the request reached and the token, no internal edits; warnings', async () => {
  const { status, json } = await getJson('/api/agents');
  assert.equal(status, 200);
  assert.equal(json.agents.length, 8);
  const claude = json.agents.find((a) => a.id === 'claude-code')!;
  const env = claude.snippets.find((s) => s.kind === 'env')!;
  assert.match(env.text as string, new RegExp(`ANTHROPIC_BASE_URL='${url}'`));
  assert.match(env.text as string, new RegExp(`ANTHROPIC_AUTH_TOKEN='${token}'`));
  assert.ok(claude.snippets.every((s) => !('edits' in s)));
  assert.deepEqual(claude.snippets.map((s) => [s.kind, s.language, s.target]), [['env', 'sh', undefined], ['file', 'json', '.claude/settings.json']]);
  assert.equal((claude.warnings as string[]).length, 1);
  assert.match((claude.warnings as string[])[0]!, /ANTHROPIC_BASE_URL=https:\/\/api\.anthropic\.com/);
  assert.equal(claude.written, null);
  assert.equal(claude.needsRewrite, false);
  const kimi = json.agents.find((a) => a.id === 'kimi-code')!;
  assert.match(kimi.snippets[0]!.text as string, /max_context_size = 131072/);
});

test('preview shows the diff and writes nothing; write changes only the env block; restore is byte for byte', async () => {
  const preview = await postJson(`${url}/api/agents/claude-code/preview`, {});
  assert.equal(preview.status, 200, preview.text);
  assert.equal(preview.json.files[0].target, '.claude/settings.json');
  assert.match(preview.json.files[0].diff, /^\+\s+"ANTHROPIC_AUTH_TOKEN"/m);
  assert.equal(readFileSync(settings, 'utf8'), ORIGINAL);

  const write = await postJson(`${url}/api/agents/claude-code/write`, {});
  assert.equal(write.status, 200, write.text);
  assert.equal(write.json.files[0].changed, true);
  assert.ok(write.json.files[0].backup.startsWith(`${settings}.patchbay-backup-`));
  const written = JSON.parse(readFileSync(settings, 'utf8')) as { env: Record<string, string>; permissions: unknown; statusLine: unknown };
  assert.equal(written.env.ANTHROPIC_BASE_URL, url);
  assert.deepEqual(written.permissions, { allow: ['Bash(ls)'] });
  assert.deepEqual(written.statusLine, { type: 'command', command: '~/bin/status' });

  const listed = (await getJson('/api/agents')).json.agents.find((a) => a.id === 'claude-code')!;
  assert.deepEqual((listed.written as { files: string[] }).files, ['.claude/settings.json']);

  token = 'pb-client-rotated-fedcba9876543210';
  const rotated = (await getJson('/api/agents')).json.agents.find((a) => a.id === 'claude-code')!;
  assert.equal(rotated.needsRewrite, true);

  writeFileSync(settings, readFileSync(settings, 'utf8').replace('Bash(ls)', 'Bash(ls -la)'));
  const guarded = await postJson(`${url}/api/agents/claude-code/restore`, {});
  assert.equal(guarded.status, 409, guarded.text);
  assert.deepEqual([guarded.json.error.code, guarded.json.error.field], ['conflict', 'force']);
  const bad = await postJson(`${url}/api/agents/claude-code/restore`, { force: 'yes' });
  assert.equal(bad.status, 400);
  const forced = await postJson(`${url}/api/agents/claude-code/restore`, { force: true });
  assert.equal(forced.status, 200, forced.text);
  assert.equal(readFileSync(settings, 'utf8'), ORIGINAL);
  const after = (await getJson('/api/agents')).json.agents.find((a) => a.id === 'claude-code')!;
  assert.equal(after.written, null, 'restored: nothing of Patchbay\'s left to re-write');
});

test('refusals: unknown agent 404, unparseable file 409 (untouched), nothing to restore 404', async () => {
  const unknown = await postJson(`${url}/api/agents/vim/preview`, {});
  assert.equal(unknown.status, 404);
  assert.match(unknown.json.error.message, /known: claude-code, codex/);

  mkdirSync(join(home, '.codex'));
  const broken = 'model = "gpt-5\n';
  writeFileSync(join(home, '.codex', 'config.toml'), broken);
  const refused = await postJson(`${url}/api/agents/codex/write`, {});
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.json.error.code, 'conflict');
  assert.match(refused.json.error.message, /~\/\.codex\/config\.toml: the file is not valid TOML/);
  assert.equal(readFileSync(join(home, '.codex', 'config.toml'), 'utf8'), broken);

  const none = await postJson(`${url}/api/agents/goose/restore`, {});
  assert.equal(none.status, 404);
  assert.equal(none.json.error.code, 'not_found');
  assert.match(none.json.error.message, /no backup made by Patchbay/);
});
