/**
 * The message shown when the OS keychain cannot be used: what is affected, what still works,
 * and the fix for the platform. It never offers a plaintext fallback, because there is none.
 */

const DEBIAN_FIX =
  'On Debian/Ubuntu: install gnome-keyring (sudo apt install gnome-keyring dbus-user-session) and run ' +
  "Patchbay inside a D-Bus session with an unlocked keyring, e.g. dbus-run-session -- sh -c " +
  "'echo -n pw | gnome-keyring-daemon --unlock --components=secrets; patchbay serve'.";

const LOCKED_FIX =
  'The keyring is locked and no unlock prompt can be shown: unlock it first, e.g. ' +
  "echo -n <keyring password> | gnome-keyring-daemon --replace --unlock --components=secrets (inside the same D-Bus session as Patchbay).";

const MISSING_LIBRARY_FIX =
  'The keychain library could not be loaded. On Debian/Ubuntu install libsecret (sudo apt install libsecret-1-0); ' +
  'on macOS and Windows reinstall Patchbay.';

const STILL_WORKS =
  'Backends with "apiKey": "keychain" cannot get their key and the client/admin tokens will not persist across restarts; ' +
  'backends with "apiKey": "env:NAME" keep working. Keys are never written to a file instead.';

function fixFor(reason: string, platform: NodeJS.Platform): string {
  if (/cannot (open shared object|find module)|libsecret|keytar\.node|ERR_MODULE_NOT_FOUND|ERR_DLOPEN_FAILED/i.test(reason)) {
    return MISSING_LIBRARY_FIX;
  }
  if (platform === 'linux' && /locked/i.test(reason)) return LOCKED_FIX;
  if (platform === 'darwin') return 'On macOS the login Keychain normally works out of the box: check that it is unlocked (Keychain Access).';
  if (platform === 'win32') return 'On Windows the Credential Manager normally works out of the box: check that it is running for this user.';
  return DEBIAN_FIX + ' On macOS and Windows the system keychain works out of the box.';
}

export function keychainUnavailableMessage(reason: string, platform: NodeJS.Platform = process.platform): string {
  return `OS keychain unavailable (${reason}). ${STILL_WORKS} Fix: ${fixFor(reason, platform)}`;
}
