import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import {
  APP_ICON_SIZES,
  DEFAULT_ASSETS_DIR,
  PANEL_THEMES,
  TRAY_ICON_SIZE,
  TRAY_ICON_STATES,
  appIconFile,
  trayIconFile,
  trayTemplateIconFile,
} from '../../../../main/tray/tray-icons';
import { readPng, readPngHeader } from './png-pixels';

const trayDir = join(DEFAULT_ASSETS_DIR, 'tray') + sep;

function assertTrayPng(file: string, scale: 1 | 2): Uint8Array {
  assert.ok(isAbsolute(file) && file.startsWith(trayDir), file);
  const png = readPng(file);
  const size = TRAY_ICON_SIZE * scale;
  assert.deepEqual([png.width, png.height, png.colorType], [size, size, 6], `${file}: ${size} px RGBA`);
  assert.ok(png.rgba, file);
  return png.rgba;
}

/** The mean luminance (0-255) of the pixels that are mostly opaque, and how many there are. */
function inkOf(rgba: Uint8Array): { luminance: number; pixels: number } {
  let sum = 0;
  let pixels = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3]! < 200) continue;
    sum += 0.2126 * rgba[i]! + 0.7152 * rgba[i + 1]! + 0.0722 * rgba[i + 2]!;
    pixels += 1;
  }
  return { luminance: pixels ? sum / pixels : 0, pixels };
}

test('every tray icon trayIconFile can return exists under main/assets/tray, an RGBA PNG of the right size', () => {
  let count = 0;
  for (const state of TRAY_ICON_STATES) {
    for (const theme of PANEL_THEMES) {
      for (const scale of [1, 2] as const) {
        const rgba = assertTrayPng(trayIconFile(state, theme, scale), scale);
        assert.ok(rgba.some((v, i) => i % 4 === 3 && v === 0), 'transparent around the glyph');
        count += 1;
      }
    }
  }
  assert.equal(count, 16);
});

test('the ok glyph is dark for light panels and light for dark panels', () => {
  for (const scale of [1, 2] as const) {
    const onLight = inkOf(assertTrayPng(trayIconFile('ok', 'light', scale), scale));
    const onDark = inkOf(assertTrayPng(trayIconFile('ok', 'dark', scale), scale));
    assert.ok(onLight.pixels > 10 && onDark.pixels > 10, 'something is drawn');
    assert.ok(onLight.luminance < 60, `light panel glyph luminance ${onLight.luminance}`);
    assert.ok(onDark.luminance > 200, `dark panel glyph luminance ${onDark.luminance}`);
  }
});

test('macOS template icons: one per state, black and alpha only', () => {
  for (const state of TRAY_ICON_STATES) {
    for (const scale of [1, 2] as const) {
      const file = trayTemplateIconFile(state, scale);
      assert.match(file, /Template(@2x)?\.png$/, 'nativeImage marks it a template by its name');
      const rgba = assertTrayPng(file, scale);
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3] === 0) continue;
        assert.deepEqual([rgba[i], rgba[i + 1], rgba[i + 2]], [0, 0, 0], `${file}: pixel ${i / 4} is black`);
      }
    }
  }
});

test('the 2x file is the 1x name with @2x, as nativeImage looks for it; another assets dir can be given', () => {
  assert.equal(trayIconFile('attention', 'dark', 2), trayIconFile('attention', 'dark', 1).replace(/\.png$/, '@2x.png'));
  assert.equal(trayTemplateIconFile('paused', 2), trayTemplateIconFile('paused', 1).replace(/\.png$/, '@2x.png'));
  assert.equal(trayIconFile('ok', 'light', 1, '/opt/patchbay/assets'), join('/opt/patchbay/assets', 'tray', 'tray-ok-light.png'));
});

test('the app icons exist at their sizes; icon.png (electron-builder) is 1024 px', () => {
  for (const size of APP_ICON_SIZES) {
    const png = readPngHeader(readFileSync(appIconFile(size)));
    assert.deepEqual([png.width, png.height, png.colorType], [size, size, 6]);
  }
  assert.equal(appIconFile(), join(DEFAULT_ASSETS_DIR, 'icon.png'));
});

test('each state looks different from the others (the drawings are not copies)', () => {
  for (const theme of PANEL_THEMES) {
    const files = TRAY_ICON_STATES.map((s) => readFileSync(trayIconFile(s, theme, 2)).toString('base64'));
    assert.equal(new Set(files).size, TRAY_ICON_STATES.length, theme);
  }
  const templates = TRAY_ICON_STATES.map((s) => readFileSync(trayTemplateIconFile(s, 2)).toString('base64'));
  assert.equal(new Set(templates).size, TRAY_ICON_STATES.length);
});
