// The engine (app/) must run under plain Node: it never imports Electron
// (docs/adr/0001-engine-without-electron.md). This test fails the build if it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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

// The desktop shell (main/) is glue over the engine, never the other way round; the UI reaches
// its host only through the bridge: no Electron, and of main/ only the shared IPC types.
interface ImportRef {
  spec: string;
  typeOnly: boolean;
}

const STATIC_IMPORT = /\b(?:import|export)\s+(type\s+)?(?:[\w$*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC_IMPORT = /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]/g;

function importsOf(source: string): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const m of source.matchAll(STATIC_IMPORT)) refs.push({ spec: m[2]!, typeOnly: m[1] !== undefined });
  for (const m of source.matchAll(DYNAMIC_IMPORT)) refs.push({ spec: m[1]!, typeOnly: false });
  return refs;
}

/** The repo-relative path an import points at (relative specifiers only; packages stay as named). */
function target(file: string, spec: string): string {
  return spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)) : spec;
}

function codeFiles(dir: string): string[] {
  return sourceFiles(dir).filter((f) => !/[/\\](node_modules|dist)[/\\]/.test(relative(root, f)));
}

test('app/ never imports main/ (the engine does not know the desktop shell)', () => {
  const offenders = codeFiles(join(root, 'app')).flatMap((f) =>
    importsOf(readFileSync(f, 'utf8'))
      .map((r) => target(f, r.spec))
      .filter((t) => t === 'main' || t.startsWith('main/'))
      .map((t) => `${relative(root, f)} -> ${t}`),
  );
  assert.deepEqual(offenders, []);
});

test('renderer/ imports no electron, and of main/ only main/shared/* as types', () => {
  const files = codeFiles(join(root, 'renderer'));
  assert.ok(files.length > 10, `expected UI sources under renderer/, found ${files.length}`);
  const offenders = files.flatMap((f) => {
    const source = readFileSync(f, 'utf8');
    const bad = ELECTRON_IMPORT.test(source) ? [`${relative(root, f)} imports electron`] : [];
    for (const ref of importsOf(source)) {
      const t = target(f, ref.spec);
      if (!(t === 'main' || t.startsWith('main/'))) continue;
      if (!t.startsWith('main/shared/')) bad.push(`${relative(root, f)} -> ${t} (only main/shared/ may be imported)`);
      else if (!ref.typeOnly) bad.push(`${relative(root, f)} -> ${t} (main/shared/ only with \`import type\`)`);
    }
    return bad;
  });
  assert.deepEqual(offenders, []);
});

test('the import detector finds static, type-only, re-export and dynamic imports', () => {
  const refs = importsOf(
    [
      `import type { PatchbayPreloadApi } from '../../main/shared/preload-api';`,
      `import {\n  a,\n  type B,\n} from "../main/x";`,
      `import '../side-effect';`,
      `export { c } from './c';`,
      `const m = await import('../../main/main');`,
      `const k = require("keytar");`,
    ].join('\n'),
  );
  assert.deepEqual(refs, [
    { spec: '../../main/shared/preload-api', typeOnly: true },
    { spec: '../main/x', typeOnly: false },
    { spec: '../side-effect', typeOnly: false },
    { spec: './c', typeOnly: false },
    { spec: '../../main/main', typeOnly: false },
    { spec: 'keytar', typeOnly: false },
  ]);
  assert.equal(target(join(root, 'renderer/src/bridge/x.ts'), '../../../main/shared/preload-api'), 'main/shared/preload-api');
});
