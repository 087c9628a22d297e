/**
 * An upstream with a hidden real limit: a Brain for the fake NIM (or Moonshot) that lets
 * `limit` requests through per sliding `windowMs` and refuses the rest as the service's bare
 * 429 (NIM: `application/problem+json` `{"status":429,"title":"Too Many Requests"}`), with no
 * retry-after and no rate-limit headers: the client learns nothing but "too many". Refused
 * requests do not count against the window (as the fakes' rpm). Seen in a trial of issue 6:
 * NIM configured at 55 rpm really allowed about 10 per 10 s.
 */
import { RateWindow } from './rate-window';
import { defaultBrain, type Brain } from './scenario';

export interface HiddenRateLimit {
  brain: Brain;
  /** Requests the limit let through / refused so far, with the time (ms since start) of each. */
  readonly acceptedAt: number[];
  readonly refusedAt: number[];
}

export function hiddenRateLimit(
  opts: { limit: number; windowMs: number; inner?: Brain; now?: () => number },
): HiddenRateLimit {
  const now = opts.now ?? Date.now;
  const window = new RateWindow(opts.limit, opts.windowMs);
  const inner = opts.inner ?? defaultBrain;
  const startedAt = now();
  const acceptedAt: number[] = [];
  const refusedAt: number[] = [];
  const brain: Brain = (req, history) => {
    const t = now();
    if (!window.take(t).ok) {
      refusedAt.push(t - startedAt);
      req.rejected = 'hidden rate limit';
      return { fail: 'rate_limit' };
    }
    acceptedAt.push(t - startedAt);
    return inner(req, history);
  };
  return { brain, acceptedAt, refusedAt };
}
