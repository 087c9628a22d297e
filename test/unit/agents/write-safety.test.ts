/**
 * The safety rules of writing: a file that does not parse is refused and left untouched (no
 * backup, nothing written, for any of the agent's files); five backups are kept; a write that
 * changes nothing makes no backup; a restore does not undo an edit the user made after
 * Patchbay wrote (unless forced); a new file is private (0600); the record of written agents
 * flags a re-write after a token rotation and never holds the token itself.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ChangedSinceWrite } from '../../../app/agents/agent-config-service';
import { ConfigRefused, NoBackup } from '../../../app/agents/writers/agent-files';
import { removeTempDirs } from '../../helpers/temp-dirs';
import { INPUT, setup } from './write-fixture';

const BROKEN: Array<{ id: string; target: string; text: string; says: RegExp }> = [
  { id: 'claude-code', target: '.claude/settings.json', text: '{\n  "hooks": {\n    "Stop": []\n  \n', says: /not valid JSON .*line/ },
  { id: 'codex', target: '.codex/config.toml', text: 'model = "gpt-5"\n[profiles\nx = 1\n', says: /not valid TOML/ },
  { id: 'continue', target: '.continue/config.yaml', text: 'name: x\nmodels:\n  - name: a\n   bad: [\n', says: /not valid YAML/ },
  { id: 'aider', target: '.aider.conf.yml', text: '- just\n- a list\n', says: /top level is not a mapping/ },
];

for (const b of BROKEN) {
  test(`${b.id}: a file that does not parse is refused, named, untouched, no backup`, async () => {
    const { home, path, service, backups } = setup(b.target, b.text);
    try {
      await assert.rejects(service.preview(b.id, INPUT), (err: unknown) => err instanceof ConfigRefused && b.says.test(err.message) && err.message.includes(`~/${b.target}`));
      await assert.rejects(service.write(b.id, INPUT), ConfigRefused);
      assert.equal(readFileSync(path, 'utf8'), b.text);
      assert.deepEqual(backups(), []);
      const [agent] = (await service.list(INPUT)).filter((a) => a.id === b.id);
      assert.equal(agent?.written, null, 'not recorded as written');
    } finally {
      removeTempDirs(home);
    }
  });
}

test('the last five backups are kept, the newest is what restore brings back', async () => {
  const { home, path, service, backups } = setup('.claude/settings.json', '{\n  "model": "opus"\n}\n');
  try {
    const versions: string[] = [];
    for (let i = 0; i < 7; i++) {
      const input = { ...INPUT, clientToken: `pb-client-rotation-${i}-0123456789`, now: new Date(Date.UTC(2026, 10, 25, 12, 0, i)) };
      versions.push(readFileSync(path, 'utf8'));
      await service.write('claude-code', input);
    }
    const kept = backups().sort();
    assert.equal(kept.length, 5);
    assert.deepEqual(kept.map((n) => readFileSync(join(home, '.claude', n), 'utf8')), versions.slice(2));
    await service.restore('claude-code', INPUT);
    assert.equal(readFileSync(path, 'utf8'), versions[6]);
  } finally {
    removeTempDirs(home);
  }
});

test('a write that changes nothing makes no backup and leaves the file as it is', async () => {
  const { home, path, service, backups } = setup('.codex/config.toml', '# mine\nmodel = "x"\n');
  try {
    await service.write('codex', INPUT);
    const once = readFileSync(path, 'utf8');
    const [preview] = await service.preview('codex', INPUT);
    assert.equal(preview?.changed, false);
    assert.equal(preview?.diff, '');
    const { files } = await service.write('codex', INPUT);
    assert.equal(files[0]?.changed, false);
    assert.equal(readFileSync(path, 'utf8'), once);
    assert.equal(backups().length, 1);
  } finally {
    removeTempDirs(home);
  }
});

test('restore refuses to undo an edit made after Patchbay wrote; force restores anyway', async () => {
  const original = '{\n  "model": "opus"\n}\n';
  const { home, path, service } = setup('.claude/settings.json', original);
  try {
    await service.write('claude-code', INPUT);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"opus"', '"sonnet"'));
    await assert.rejects(service.restore('claude-code', INPUT), (err: unknown) => err instanceof ChangedSinceWrite && /changed after Patchbay wrote it/.test(err.message));
    assert.match(readFileSync(path, 'utf8'), /"sonnet"/);
    await service.restore('claude-code', INPUT, { force: true });
    assert.equal(readFileSync(path, 'utf8'), original);
  } finally {
    removeTempDirs(home);
  }
});

test('a new file is created private (0600) with its directory; there is no backup to restore', async () => {
  const { home, path, service } = setup('.cline/data/settings/providers.json', undefined);
  try {
    const [preview] = await service.preview('cline', INPUT);
    assert.equal(preview?.exists, false);
    const { files } = await service.write('cline', INPUT);
    assert.equal(files[0]?.backup, undefined);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(readFileSync(path, 'utf8'), (await import('../../../app/agents/catalog')).agentById('cline')!.snippets(INPUT).find((s) => s.kind === 'file')!.text);
    await assert.rejects(service.restore('cline', INPUT), NoBackup);
  } finally {
    removeTempDirs(home);
  }
});

test('an existing file keeps its mode', async () => {
  const { home, path, service } = setup('.aider.conf.yml', 'dark-mode: true\n');
  try {
    (await import('node:fs')).chmodSync(path, 0o640);
    await service.write('aider', INPUT);
    assert.equal(statSync(path).mode & 0o777, 0o640);
  } finally {
    removeTempDirs(home);
  }
});

test('after a client-token rotation the written agents need a re-write; the record holds no token', async () => {
  const { home, service } = setup('.codex/config.toml', undefined);
  try {
    await service.write('codex', INPUT);
    await service.write('opencode', INPUT);
    const before = await service.list(INPUT);
    assert.deepEqual(before.filter((a) => a.written).map((a) => a.id), ['codex', 'opencode']);
    assert.ok(before.every((a) => !a.needsRewrite));
    const rotated = { ...INPUT, clientToken: 'pb-client-rotated-fedcba9876543210' };
    const after = await service.list(rotated);
    assert.deepEqual(after.filter((a) => a.needsRewrite).map((a) => a.id), ['codex', 'opencode']);
    assert.deepEqual(await service.needingRewrite(rotated.clientToken), ['codex', 'opencode']);
    const record = readFileSync(join(home, '.patchbay', 'agents-written.json'), 'utf8');
    assert.ok(!record.includes(INPUT.clientToken), 'the record keeps a fingerprint, not the token');
    await service.write('codex', rotated);
    assert.deepEqual((await service.list(rotated)).filter((a) => a.needsRewrite).map((a) => a.id), ['opencode']);
  } finally {
    removeTempDirs(home);
  }
});
