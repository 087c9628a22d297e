import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import { APP_ICON_SIZES, DEFAULT_ASSETS_DIR, PANEL_THEMES, TRAY_ICON_SIZE, TRAY_ICON_STATES, appIconFile, trayIconFile } from '../../../../main/tray/tray-icons';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (the first chunk, right after the signature). */
function pngSize(file: string): { width: number; height: number; colorType: number } {
  const bytes = readFileSync(file);
  assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), `${file} is a PNG`);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${file} starts with IHDR`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colorType: bytes.readUInt8(25) };
}

test('every tray icon trayIconFile can return exists under main/assets/tray, a PNG with alpha of the right size', () => {
  let count = 0;
  for (const state of TRAY_ICON_STATES) {
    for (const theme of PANEL_THEMES) {
      for (const scale of [1, 2] as const) {
        const file = trayIconFile(state, theme, scale);
        assert.ok(isAbsolute(file) && file.startsWith(join(DEFAULT_ASSETS_DIR, 'tray') + sep), file);
        const size = TRAY_ICON_SIZE * scale;
        const png = pngSize(file);
        assert.deepEqual({ width: png.width, height: png.height }, { width: size, height: size }, file);
        assert.equal(png.colorType, 6, `${file} is RGBA (transparent around the glyph)`);
        count += 1;
      }
    }
  }
  assert.equal(count, 16);
});

test('the 2x file is the 1x name with @2x, as nativeImage looks for it', () => {
  assert.equal(trayIconFile('attention', 'dark', 2), trayIconFile('attention', 'dark', 1).replace(/\.png$/, '@2x.png'));
  assert.equal(trayIconFile('ok', 'light', 1, '/opt/patchbay/assets'), join('/opt/patchbay/assets', 'tray', 'tray-ok-light.png'));
});

test('the app icons exist at their sizes; icon.png (electron-builder) is 1024 px', () => {
  for (const size of APP_ICON_SIZES) assert.deepEqual(pngSize(appIconFile(size)), { width: size, height: size, colorType: 6 });
  assert.equal(appIconFile(), join(DEFAULT_ASSETS_DIR, 'icon.png'));
});

test('each state looks different from the others in the same theme (the drawings are not copies)', () => {
  for (const theme of PANEL_THEMES) {
    const files = TRAY_ICON_STATES.map((s) => readFileSync(trayIconFile(s, theme, 2)).toString('base64'));
    assert.equal(new Set(files).size, TRAY_ICON_STATES.length, theme);
  }
});
