// The engine (app/) must run under plain Node: it never imports Electron
// (docs/adr/0001-engine-without-electron.md). This test fails the build if it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|tsx|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

const ELECTRON_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"](electron|@electron\/[^'"]*)['"]/;

test('app/ never imports electron', () => {
  const files = sourceFiles(join(root, 'app'));
  assert.ok(files.length > 10, `expected engine sources under app/, found ${files.length}`);
  const offenders = files.filter((f) => ELECTRON_IMPORT.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
  assert.deepEqual(offenders, [], `these engine files import electron: ${offenders.join(', ')}`);
});

test('the electron-import detector recognises the import forms', () => {
  for (const src of [`import { app } from 'electron';`, `const e = require("electron")`, `await import('electron')`, `import 'electron';`]) {
    assert.match(src, ELECTRON_IMPORT, src);
  }
  assert.doesNotMatch(`import x from 'electron-store-like-name';`, ELECTRON_IMPORT);
});
