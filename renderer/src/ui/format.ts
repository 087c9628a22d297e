/** How numbers, durations and times read in the UI (compact, stable widths). */

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export function formatCount(n: number): string {
  return n < 10_000 ? String(Math.round(n)) : compact.format(n);
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatRate(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

// Formatters made once: toLocale*String builds a new Intl formatter per call (slow in a table).
const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const day = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });

export function formatClock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return clock.format(d);
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${day.format(d)} ${clock.format(d)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** Output tokens per second of generation (after the first token when known). */
export function tokensPerSecond(output: number, latencyMs: number, ttftMs: number | undefined): number | undefined {
  const ms = latencyMs - (ttftMs ?? 0);
  if (output <= 0 || ms <= 0) return undefined;
  return (output * 1000) / ms;
}
