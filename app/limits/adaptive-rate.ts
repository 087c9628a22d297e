/**
 * The rate one backend is paced at, learned from its answers (AIMD, docs/adr/0004):
 * - an upstream 429 halves it, once per round: a 429 for a request sent before the last cut was
 *   sent at the old rate and says nothing new, so a burst of 429s from one window counts once;
 * - a backend with no configured rpm starts being paced at its first 429, from the rate it was
 *   seen sending at;
 * - when a run of 429s ends (an accepted request sent after the last cut), the rate is raised to
 *   9/10 of what the upstream was seen to let through over the last minute, if that is higher:
 *   probing a closed window with ever slower tries must not leave the rate far below the limit;
 * - every other accepted request adds a small constant step (1/100 of the rate set at the last
 *   change, at least 0.5 rpm), back up to the configured rpm, where learning stops.
 * Pure arithmetic on times given by the caller; no clock, no timers.
 */

export const CUT_FACTOR = 0.5;
/** Never paced slower than this (one request a minute). */
export const MIN_RPM = 1;
export const STEP_FRACTION = 0.01;
export const MIN_STEP_RPM = 0.5;
/** Share of the rate seen getting through that a run of 429s ends at. */
export const SEEN_MARGIN = 0.9;
const MINUTE_MS = 60_000;

export class AdaptiveRate {
  private configured: number | undefined;
  private learned: number | undefined;
  private step = 0;
  private lastCutAt = -Infinity;
  /** The rate in force when the current run of 429s began (undefined: no run). */
  private tripRpm: number | undefined;
  /** Send times of accepted requests in the last minute, ascending. */
  private readonly accepted: number[] = [];

  constructor(configuredRpm?: number) {
    this.configured = configuredRpm;
  }

  /** The rpm from the config (undefined: none). */
  get configuredRpm(): number | undefined {
    return this.configured;
  }

  /** The rate learned from 429s while it is below the configured one (undefined: not learning). */
  get learnedRpm(): number | undefined {
    return this.learned;
  }

  /** The rate to pace at now (undefined: unpaced). */
  get rpm(): number | undefined {
    return this.learned ?? this.configured;
  }

  configure(rpm: number | undefined): void {
    this.configured = rpm;
    this.capAtConfigured();
  }

  /**
   * The upstream refused a request sent at `sentAt` with a 429. `observedRpm` is the rate the
   * backend was being sent at (used when it has no rate yet). True when the rate was cut.
   */
  refused(sentAt: number, now: number, observedRpm: number): boolean {
    this.tripRpm ??= this.rpm ?? observedRpm;
    if (sentAt <= this.lastCutAt) return false;
    this.setLearned(Math.max(MIN_RPM, (this.rpm ?? observedRpm) * CUT_FACTOR));
    this.lastCutAt = now;
    return true;
  }

  /** The upstream accepted a request sent at `sentAt` (any answer but a 429). True when the rate changed. */
  acceptedAt(sentAt: number, now: number): boolean {
    this.prune(now);
    const before = this.learned;
    if (sentAt > this.lastCutAt && this.learned !== undefined) {
      if (this.tripRpm !== undefined) {
        // A run of 429s is over: what got through in the last minute, over the time it took.
        const first = this.accepted[0];
        if (first !== undefined && sentAt > first) {
          const seen = (SEEN_MARGIN * this.accepted.length * MINUTE_MS) / (sentAt - first);
          this.setLearned(Math.max(this.learned, Math.min(seen, this.tripRpm)));
        }
        this.tripRpm = undefined;
      } else {
        this.learned += this.step;
      }
      this.capAtConfigured();
    }
    insertSorted(this.accepted, sentAt);
    return this.learned !== before;
  }

  private setLearned(rpm: number): void {
    this.learned = rpm;
    this.step = Math.max(MIN_STEP_RPM, rpm * STEP_FRACTION);
  }

  private capAtConfigured(): void {
    if (this.learned !== undefined && this.configured !== undefined && this.learned >= this.configured) {
      this.learned = undefined;
      this.tripRpm = undefined;
    }
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.accepted.length && (this.accepted[drop] as number) <= now - MINUTE_MS) drop++;
    if (drop > 0) this.accepted.splice(0, drop);
  }
}

function insertSorted(times: number[], t: number): void {
  let i = times.length;
  while (i > 0 && (times[i - 1] as number) > t) i--;
  times.splice(i, 0, t);
}
