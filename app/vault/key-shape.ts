/** Shape rules for an upstream key before it is stored. Messages never quote the key. */

export const MAX_KEY_BYTES = 4096;

/** Keys shorter than this get no `last4` hint: four characters would give away too much of it. */
export const MIN_KEY_LENGTH_FOR_HINT = 12;

/** Why `key` cannot be a key, or undefined when it can. */
export function keyShapeProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return 'key must be a string';
  if (key.length === 0) return 'key must not be empty';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `key must be at most ${MAX_KEY_BYTES} bytes`;
  if (/\s/u.test(key)) return 'key must not contain whitespace or line breaks (was it pasted with a trailing newline?)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/u.test(key)) return 'key must not contain control characters';
  return undefined;
}

/** The last four characters of a key, only when the key is long enough for that to be harmless. */
export function lastFour(key: string): string | undefined {
  return key.length >= MIN_KEY_LENGTH_FOR_HINT ? key.slice(-4) : undefined;
}
