/**
 * Errors the vault throws. Their messages are written by us and never contain a key or token:
 * they are safe to show in an API response or a log.
 */

/** The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager) cannot be used. */
export class KeychainUnavailableError extends Error {
  constructor(
    /** Short technical reason, e.g. "Could not connect: No such file or directory". */
    readonly reason: string,
    /** Full message naming the fix. */
    message: string,
  ) {
    super(message);
    this.name = 'KeychainUnavailableError';
  }
}

/** A key handed to `setKey` has an impossible shape (empty, whitespace, too long). */
export class InvalidKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidKeyError';
  }
}
