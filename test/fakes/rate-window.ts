/** Sliding 60-second window of accepted requests, for the fakes' rpm enforcement. */
export class RateWindow {
  private readonly times: number[] = [];

  constructor(
    private readonly rpm: number | undefined,
    private readonly windowMs = 60_000,
  ) {}

  /** Takes a slot, or returns the seconds until one frees (the request must then be refused). */
  take(now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.rpm === undefined) return { ok: true };
    while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift();
    if (this.times.length >= this.rpm) {
      const oldest = this.times[0] ?? now;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)) };
    }
    this.times.push(now);
    return { ok: true };
  }
}
