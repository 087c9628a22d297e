// The tray's logic (menu, status, icons, notification rules, popover placement) runs under plain
// Node (its unit tests import it without Electron) and must stay so: it may name Electron's types,
// never load Electron.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../../..');
const LOGIC_MODULES = [
  'main/tray/backend-health.ts',
  'main/tray/live-line.ts',
  'main/tray/tray-icons.ts',
  'main/tray/tray-input.ts',
  'main/tray/tray-menu.ts',
  'main/tray/tray-status.ts',
  'main/notifications/notification-rules.ts',
  'main/windows/popover-placement.ts',
];

/** Imports of electron that load it at run time (anything but `import type`). */
function runtimeElectronImports(source: string): string[] {
  const statements = source.match(/^\s*(?:import|export)\b[^;]*?from\s*['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/gms) ?? [];
  return statements.filter((s) => !/^\s*(?:import|export)\s+type\b/.test(s));
}

test('the detector tells type imports from runtime ones', () => {
  assert.deepEqual(runtimeElectronImports(`import type { MenuItemConstructorOptions } from 'electron';`), []);
  for (const src of [`import { Menu } from 'electron';`, `import {\n  type A,\n  Menu,\n} from "electron";`, `const e = require('electron');`, `await import('electron')`]) {
    assert.equal(runtimeElectronImports(src).length, 1, src);
  }
});

test('the logic modules never load electron at run time', () => {
  for (const file of LOGIC_MODULES) assert.deepEqual(runtimeElectronImports(readFileSync(join(root, file), 'utf8')), [], file);
});
