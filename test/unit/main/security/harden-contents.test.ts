/**
 * hardenWebContents on a recording stand-in of webContents: window.open always denied (https
 * links handed to the system browser, nothing else), navigation and redirects kept on our
 * origin, webviews refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebContents } from 'electron';
import { hardenWebContents, isExternalLink, type WebContentsLike } from '../../../../main/security/harden-contents';

export type ElectronFits = WebContents extends WebContentsLike ? true : never;
const fits: ElectronFits = true;

type Listener = (event: { url: string; preventDefault(): void }) => void;

function recordingContents() {
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const listeners = new Map<string, Listener[]>();
  const contents: WebContentsLike = {
    setWindowOpenHandler(handler) {
      openHandler = handler;
    },
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
  };
  /** Emit an event the way Electron would; true when a listener prevented it. */
  const emit = (event: string, url = ''): boolean => {
    let prevented = false;
    for (const l of listeners.get(event) ?? []) l({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { contents, open: (url: string) => openHandler!({ url }), emit, listeners };
}

test('Electron’s webContents fits the structural type', () => {
  assert.equal(fits, true);
});

test('window.open is denied; only https links go to the system browser', async () => {
  const opened: string[] = [];
  const rec = recordingContents();
  hardenWebContents(rec.contents, 'app://patchbay', { openExternal: (url) => void opened.push(url) });
  for (const url of ['https://docs.example.com/a?b#c', 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://patchbay/x', 'smb://host/share', 'https://user:pw@example.com/', 'not a url']) {
    assert.deepEqual(rec.open(url), { action: 'deny' }, url);
  }
  assert.deepEqual(opened, ['https://docs.example.com/a?b#c']);
});

test('a failing or missing system browser leaves the window.open denied, not thrown', async () => {
  const rec = recordingContents();
  hardenWebContents(rec.contents, 'app://patchbay', {
    openExternal: () => {
      throw new Error('no browser');
    },
  });
  assert.deepEqual(rec.open('https://example.com/'), { action: 'deny' });
  const rejecting = recordingContents();
  hardenWebContents(rejecting.contents, 'app://patchbay', { openExternal: () => Promise.reject(new Error('no browser')) });
  assert.deepEqual(rejecting.open('https://example.com/'), { action: 'deny' });
  const none = recordingContents();
  hardenWebContents(none.contents, 'app://patchbay');
  assert.deepEqual(none.open('https://example.com/'), { action: 'deny' });
  await new Promise((r) => setImmediate(r)); // no unhandled rejection
});

test('navigation and redirects stay on our origin; webviews are refused', () => {
  const rec = recordingContents();
  hardenWebContents(rec.contents, 'app://patchbay');
  for (const event of ['will-navigate', 'will-redirect']) {
    assert.equal(rec.emit(event, 'app://patchbay/index.html#popover'), false, `${event} within the app`);
    assert.equal(rec.emit(event, 'app://PATCHBAY/index.html'), false, `${event} same origin, other case`);
    for (const url of ['https://evil.example/', 'http://127.0.0.1:7420/', 'file:///etc/passwd', 'app://patchbay.evil/', 'app://other/', 'about:blank', 'data:text/html,hi', 'javascript:void 0', '']) {
      assert.equal(rec.emit(event, url), true, `${event} to ${url || '(empty)'}`);
    }
  }
  assert.equal(rec.emit('will-attach-webview'), true);
});

test('isExternalLink: https only, no credentials in the URL', () => {
  assert.equal(isExternalLink('https://example.com/'), true);
  assert.equal(isExternalLink('HTTPS://example.com/'), true);
  assert.equal(isExternalLink('http://example.com/'), false);
  assert.equal(isExternalLink('https://a:b@example.com/'), false);
  assert.equal(isExternalLink('mailto:x@example.com'), false);
});
