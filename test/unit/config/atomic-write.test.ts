import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';

const root = resolve(import.meta.dirname, '../../..');

test('a writer killed mid-write (SIGKILL) never leaves a torn file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pb-atomic-'));
  const target = join(dir, 'config.json');
  // The child rewrites a ~200 KB JSON file as fast as it can, each version self-consistent,
  // and prints "going" once the first write landed.
  const script = `
    import { writeFileAtomic } from ${JSON.stringify(join(root, 'app/config/atomic-write.ts'))};
    let n = 0;
    for (;;) {
      n++;
      const doc = { version: n, filler: 'x'.repeat(200_000), check: n };
      await writeFileAtomic(${JSON.stringify(target)}, JSON.stringify(doc));
      if (n === 1) console.log('going');
    }`;
  for (let round = 0; round < 5; round++) {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    await once(child.stdout!, 'data');
    await new Promise((r) => setTimeout(r, 20 + round * 15));
    child.kill('SIGKILL');
    await once(child, 'exit');
    const doc = JSON.parse(readFileSync(target, 'utf8'));
    assert.equal(doc.version, doc.check, 'file is one complete version');
    assert.equal(doc.filler.length, 200_000);
  }
  // Orphaned temp files from killed writers may exist but the target is always whole.
  assert.ok(readdirSync(dir).includes('config.json'));
});
