/** The preview's unified diff: GNU patch applies it to the old text and gets the new one. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { unifiedDiff } from '../../../app/agents/writers/line-diff';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

function patchApplies(before: string, after: string): string {
  const dir = makeTempDir('diff');
  try {
    writeFileSync(join(dir, 'file'), before);
    const diff = unifiedDiff(before, after, 'file');
    const r = spawnSync('patch', ['--batch', '--silent', join(dir, 'file')], { input: diff, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}\n${diff}`);
    return readFileSync(join(dir, 'file'), 'utf8');
  } finally {
    removeTempDirs(dir);
  }
}

const base = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n';

test('equal texts: empty diff', () => assert.equal(unifiedDiff(base, base, 'f'), ''));

for (const [name, after] of [
  ['insert in the middle', base.replace('line 10\n', 'line 10\nnew a\nnew b\n')],
  ['change near both ends (two hunks)', base.replace('line 1\n', 'LINE 1\n').replace('line 28\n', 'LINE 28\n')],
  ['append at the end', base + 'tail 1\ntail 2\n'],
  ['delete lines', base.replace('line 5\nline 6\n', '')],
  ['from empty', 'a\nb\n'],
  ['to empty', ''],
] as const) {
  test(`patch(1) applies the diff: ${name}`, () => {
    const before = name === 'from empty' ? '' : base;
    assert.equal(patchApplies(before, after), after);
  });
}

test('headers and hunk shape', () => {
  const d = unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', '.claude/settings.json');
  assert.equal(d, '--- a/.claude/settings.json\n+++ b/.claude/settings.json\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
});
