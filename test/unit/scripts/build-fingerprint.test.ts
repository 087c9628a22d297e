// bin/patchbay.js runs dist/patchbay.cjs only when it was built from the current sources:
// a missing build, an edited, added or removed source file makes it fall back to tsx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_INFO, BUNDLE, sourceFingerprint, whyBuildUnusable } from '../../../scripts/build-fingerprint.mjs';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dirs';

function fakeCheckout(): string {
  const root = makeTempDir('fingerprint');
  mkdirSync(join(root, 'app/cli'), { recursive: true });
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'app/cli/main.ts'), 'console.log(1);\n');
  writeFileSync(join(root, 'package.json'), '{}\n');
  writeFileSync(join(root, 'package-lock.json'), '{}\n');
  return root;
}

function markBuilt(root: string): void {
  writeFileSync(join(root, BUNDLE), '// bundle\n');
  writeFileSync(join(root, BUILD_INFO), JSON.stringify({ fingerprint: sourceFingerprint(root) }));
}

test('a build made from the current sources is used', (t) => {
  const root = fakeCheckout();
  t.after(() => removeTempDirs(root));
  assert.match(whyBuildUnusable(root) ?? '', /no build in dist\/patchbay\.cjs/);
  markBuilt(root);
  assert.equal(whyBuildUnusable(root), undefined);
});

test('an edited, added or removed source, or a changed lockfile, makes the build stale', (t) => {
  const root = fakeCheckout();
  t.after(() => removeTempDirs(root));
  const stale = /older than the sources/;

  markBuilt(root);
  utimesSync(join(root, 'app/cli/main.ts'), new Date(), new Date(Date.now() + 5000));
  assert.match(whyBuildUnusable(root) ?? '', stale, 'edited (mtime)');

  markBuilt(root);
  writeFileSync(join(root, 'app/cli/extra.ts'), '');
  assert.match(whyBuildUnusable(root) ?? '', stale, 'added');

  markBuilt(root);
  rmSync(join(root, 'app/cli/extra.ts'));
  assert.match(whyBuildUnusable(root) ?? '', stale, 'removed');

  markBuilt(root);
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
  assert.match(whyBuildUnusable(root) ?? '', stale, 'lockfile');

  markBuilt(root);
  rmSync(join(root, BUNDLE));
  assert.match(whyBuildUnusable(root) ?? '', /no build/, 'bundle deleted');
});
