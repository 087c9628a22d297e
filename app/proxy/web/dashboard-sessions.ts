/**
 * Who may use the dashboard in a browser: a one-time login code (printed in the start-up banner,
 * part of the dashboard URL) is traded once for a session, kept in an HttpOnly, SameSite=Strict
 * cookie. Sessions live in memory: a restart prints a new code. Codes and sessions are 32 random
 * bytes, compared in constant time.
 */
import { randomBytes } from 'node:crypto';
import { tokensEqual } from '../tokens';

export const SESSION_COOKIE = 'patchbay_session';
/** A browser stays signed in this long (the engine's sessions end earlier, at a restart). */
export const SESSION_MAX_AGE_S = 30 * 24 * 3600;

function secret(): string {
  return randomBytes(32).toString('base64url');
}

export class DashboardSessions {
  private code = secret();
  private readonly sessions = new Set<string>();

  /** The code the next login link carries (valid until it is used). */
  get loginCode(): string {
    return this.code;
  }

  /** A session for a valid code, which is then used up (a new one replaces it); undefined otherwise. */
  redeem(code: string | undefined): string | undefined {
    if (!code || !tokensEqual(code, this.code)) return undefined;
    this.code = secret();
    const session = secret();
    this.sessions.add(session);
    return session;
  }

  isSession(value: string | undefined): boolean {
    if (!value) return false;
    // Constant time over every live session (there are a handful).
    let found = false;
    for (const s of this.sessions) if (tokensEqual(value, s)) found = true;
    return found;
  }
}
