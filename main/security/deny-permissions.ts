/**
 * Every permission a page can ask for (camera, microphone, notifications, geolocation, MIDI,
 * HID, serial, ...) is denied, both the request and the silent check. One exception, when the
 * caller names our origin: writing to the clipboard from our own page ("Copy Claude Code env"
 * uses navigator.clipboard.writeText); reading the clipboard stays denied.
 */
import { originOf } from '../shared/url-origin';

/** The part of Electron's session this uses. */
export interface SessionLike {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string, details: { requestingUrl?: string }) => boolean): void;
}

export interface DenyPermissionsOptions {
  /** Our page's origin (`app://patchbay`): allowed to write (never read) the clipboard. */
  clipboardWriteFrom?: string;
}

const CLIPBOARD_WRITE = 'clipboard-sanitized-write';

export function denyPermissions(session: SessionLike, options: DenyPermissionsOptions = {}): void {
  const allowed = (permission: string, origin: string | undefined): boolean =>
    permission === CLIPBOARD_WRITE && options.clipboardWriteFrom !== undefined && origin === options.clipboardWriteFrom;
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(allowed(permission, originOf(details?.requestingUrl)));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    allowed(permission, originOf(details?.requestingUrl) ?? originOf(requestingOrigin)),
  );
}
