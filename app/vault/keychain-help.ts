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

/**
 * What D-Bus and libsecret say when the Secret Service that answered before is gone: its name
 * has no owner any more, the connection's unique name is dead, or the session it opened died
 * with it.
 */
const DAEMON_GONE =
  /was not provided by any \.service files|ServiceUnknown|NameHasNoOwner|NoReply|session wrapping the secret does not exist|Remote peer disconnected|Connection is closed|no answer from the keychain within/i;

const DAEMON_GONE_HELP =
  'The keychain daemon (the Secret Service, e.g. gnome-keyring-daemon) is not running in Patchbay\'s D-Bus session. ' +
  'Keys already read keep working from memory; storing, deleting or checking a key needs the daemon. ' +
  "Fix: start it again in the same session (echo -n <keyring password> | gnome-keyring-daemon --unlock --components=secrets, " +
  'or log in to the desktop again); Patchbay reconnects by itself at the next keychain call, no restart needed.';

/** True when the reason, from a keychain that answered before, says its daemon went away. */
export function keychainDaemonGone(reason: string): boolean {
  return DAEMON_GONE.test(reason);
}

/** The message when a keychain that worked earlier in this run stopped answering. */
export function keychainGoneMessage(reason: string): string {
  return `OS keychain unavailable (${reason}). ${DAEMON_GONE_HELP}`;
}

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
