/** Constant-time token comparison (both sides hashed first, so lengths do not leak either). */
import { hash, timingSafeEqual } from 'node:crypto';

/** One-shot digest: no Hash stream object per call (checked on every request). */
function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer') as unknown as Buffer;
}

// The expected side is one of a few long-lived tokens: its digest is kept, not made per request.
const expectedDigests = new Map<string, Buffer>();
const MAX_EXPECTED = 32;

function expectedDigest(expected: string): Buffer {
  let d = expectedDigests.get(expected);
  if (d === undefined) {
    if (expectedDigests.size >= MAX_EXPECTED) expectedDigests.clear(); // rotated tokens: start over
    d = digest(expected);
    expectedDigests.set(expected, d);
  }
  return d;
}

export function tokensEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), expectedDigest(expected));
}

/** The token of `Authorization: Bearer <token>`, if that is what the header holds. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}
