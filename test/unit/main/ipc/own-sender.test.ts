/**
 * The default sender check: our origin (Chromium's frame origin, or the URL's when the origin is
 * opaque), the top-level frame only, one of our live windows only. Also: Electron's own objects
 * fit the structural types the IPC host takes (checked by the compiler: `npm run typecheck`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { IpcEventLike, IpcMainLike } from '../../../../main/ipc/ipc-like';
import { originOf, ownSenderCheck, type BrowserWindowLike } from '../../../../main/ipc/own-sender';

// Electron's types must fit ours, or the shell could not pass the real objects.
export type ElectronFits = [IpcMain extends IpcMainLike ? true : never, IpcMainInvokeEvent extends IpcEventLike ? true : never, BrowserWindow extends BrowserWindowLike ? true : never];
const fits: ElectronFits = [true, true, true];

const event = (senderId: number, frame: IpcEventLike['senderFrame']): IpcEventLike => ({
  sender: { id: senderId, send: () => undefined, isDestroyed: () => false, once: () => undefined, removeListener: () => undefined },
  senderFrame: frame,
});
const top = (url: string, origin = originOf(url) ?? 'null') => ({ url, origin, parent: null });

test('Electron’s IPC objects fit the host’s structural types', () => {
  assert.deepEqual(fits, [true, true, true]);
});

test('originOf gives scheme://host[:port] for custom and web schemes, undefined for opaque ones', () => {
  assert.equal(originOf('app://patchbay/index.html?x#y'), 'app://patchbay');
  assert.equal(originOf('http://localhost:5173/'), 'http://localhost:5173');
  assert.equal(originOf('https://example.com:443/a'), 'https://example.com');
  assert.equal(originOf('about:blank'), undefined);
  assert.equal(originOf('data:text/html,hi'), undefined);
  assert.equal(originOf('not a url'), undefined);
});

test('accepts only the top frame of a live window of ours on an allowed origin', () => {
  let windows: BrowserWindowLike[] = [{ webContents: { id: 7 } }, { webContents: { id: 9 }, isDestroyed: () => false }];
  const check = ownSenderCheck({ windows: () => windows, origin: ['app://patchbay', 'http://localhost:5173'] });

  assert.equal(check(event(7, top('app://patchbay/index.html'))), true);
  assert.equal(check(event(9, top('http://localhost:5173/'))), true, 'the dev server, when allowed');
  assert.equal(ownSenderCheck({ windows: () => windows, origin: 'APP://Patchbay' })(event(7, top('app://patchbay/'))), true, 'origins compare case-insensitively');
  assert.equal(check(event(7, top('app://patchbay/index.html', 'null'))), true, 'an opaque Chromium origin falls back to the URL');

  assert.equal(check(event(8, top('app://patchbay/index.html'))), false, 'not one of our windows');
  assert.equal(check(event(7, top('https://evil.example/'))), false, 'navigated away');
  assert.equal(check(event(7, top('http://localhost:5174/'))), false, 'another port');
  assert.equal(check(event(7, top('app://patchbay.evil/'))), false, 'a look-alike host');
  assert.equal(check(event(7, { ...top('app://patchbay/'), parent: {} })), false, 'an iframe');
  assert.equal(check(event(7, null)), false, 'a frame gone since it sent');
  assert.equal(check(event(7, top('about:blank', 'null'))), false, 'an opaque origin');

  windows = [{ webContents: { id: 7 }, isDestroyed: () => true }];
  assert.equal(check(event(7, top('app://patchbay/'))), false, 'a destroyed window');
  windows = [];
  assert.equal(check(event(7, top('app://patchbay/'))), false, 'windows are read at each message');
});
