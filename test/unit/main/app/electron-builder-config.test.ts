/**
 * electron-builder.yml, read as electron-builder reads it: the targets per platform, keytar
 * (the one native module) unpacked from the asar and rebuilt for Electron, no sources or tests
 * in the package, and every file it names (icons, entitlements) present.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { appPaths } from '../../../../main/app/app-paths';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  directories: { output: string; buildResources: string };
  linux: { target: string[]; category: string; maintainer: string; icon: string };
  mac: { target: string; category: string; icon: string; entitlements: string; entitlementsInherit: string };
  win: { target: string; icon: string };
  extraMetadata: { main: string };
}
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

/** electron-builder's files semantics: the last matching pattern wins, `!` excludes. */
function packaged(path: string): boolean {
  let included = false;
  for (const pattern of config.files) {
    if (pattern.startsWith('!')) {
      if (matchesGlob(path, pattern.slice(1))) included = false;
    } else if (matchesGlob(path, pattern)) included = true;
  }
  return included;
}

test('identity and targets: Linux AppImage + deb, macOS dmg, Windows nsis', () => {
  assert.equal(config.appId, 'dev.patchbay.app');
  assert.equal(config.productName, 'Patchbay');
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.equal(config.linux.category, 'Development');
  assert.match(config.linux.maintainer, /\S+ <\S+@\S+>/);
  assert.equal(config.mac.target, 'dmg');
  assert.equal(config.mac.category, 'public.app-category.developer-tools');
  assert.equal(config.win.target, 'nsis');
  assert.equal(config.directories.output, 'out/dist', 'out/ is git-ignored and eslint-ignored');
});

test('the entry point is the main bundle, the same as package.json main', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
  assert.equal(config.extraMetadata.main, 'dist/main/main.cjs');
  assert.equal(pkg.main, 'dist/main/main.cjs');
});

test('keytar: rebuilt for Electron, its .node unpacked from the asar and packaged', () => {
  assert.equal(config.npmRebuild, true);
  const addon = 'node_modules/keytar/build/Release/keytar.node';
  assert.ok(
    config.asarUnpack.some((p) => matchesGlob(addon, p)),
    `asarUnpack ${JSON.stringify(config.asarUnpack)} does not unpack ${addon}`,
  );
  assert.ok(packaged(addon));
  assert.ok(packaged('node_modules/keytar/lib/keytar.js'));
  assert.ok(packaged('node_modules/keytar/package.json'));
});

test('the UI is unpacked from the asar, where the app reads it', () => {
  for (const file of ['dist/ui/index.html', 'dist/ui/assets/index-abc.js']) {
    assert.ok(config.asarUnpack.some((p) => matchesGlob(file, p)), `${file} is not unpacked`);
  }
  assert.equal(appPaths({ userData: '/u', appPath: '/opt/Patchbay/resources/app.asar' }).uiDir, '/opt/Patchbay/resources/app.asar.unpacked/dist/ui');
});

test('the package holds the bundles, the UI and the icons; no sources, tests, maps or other node_modules', () => {
  for (const file of ['package.json', 'dist/main/main.cjs', 'dist/main/preload.cjs', 'dist/ui/index.html', 'dist/ui/assets/index-abc.js', 'main/assets/tray/tray-ok-light.png', 'main/assets/icon.png']) {
    assert.ok(packaged(file), `${file} should be packaged`);
  }
  for (const file of [
    'main/main.ts',
    'app/runtime/engine.ts',
    'renderer/src/main.tsx',
    'test/unit/architecture.test.ts',
    'dist/main/main.cjs.map',
    'dist/patchbay.cjs',
    'main/assets/icon.svg',
    'node_modules/fastify/package.json',
    'node_modules/@resvg/resvg-js/index.js',
    'node_modules/keytar/src/main.cc',
  ]) {
    assert.equal(packaged(file), false, `${file} should not be packaged`);
  }
});

test('every file the config names exists (icons drawn by scripts/draw-icons.mjs, mac entitlements)', () => {
  const named = [config.linux.icon, config.mac.icon, config.win.icon, config.mac.entitlements, config.mac.entitlementsInherit];
  for (const file of named) assert.ok(existsSync(join(ROOT, file)), `${file} is named in electron-builder.yml but missing`);
  // electron-builder needs an app icon of at least 512 px (macOS) / 256 px (Windows): icon.png is 1024.
  const png = readFileSync(join(ROOT, config.linux.icon));
  assert.equal(png.readUInt32BE(16), 1024, 'icon.png width');
  assert.equal(png.readUInt32BE(20), 1024, 'icon.png height');
});
