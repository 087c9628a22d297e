/** What each Log column shows for a request row (text only; shared by the table and tests). */
import type { RequestSummary } from '../../../../app/api/contract';
import { formatClock, formatCount, formatMs, tokensPerSecond } from '../../ui/format';

export function modelCell(r: RequestSummary): string {
  const asked = r.modelRequested ?? '–';
  if (!r.modelUsed || r.modelUsed === r.modelRequested) return asked;
  return `${asked} → ${r.modelUsed}`;
}

export function statusCell(r: RequestSummary): string {
  if (r.inFlight) return 'live';
  // Patchbay stopped (killed, crashed) before it ended: short for the narrow column; the title and note say it in full.
  if (r.interrupted) return 'halted';
  if (r.status === 0) return r.aborted ? 'left' : 'failed';
  return String(r.status);
}

/** The status in words, for a tooltip and the detail. */
export function statusTitle(r: RequestSummary): string | undefined {
  if (r.interrupted) return 'interrupted: Patchbay stopped before this request finished';
  return undefined;
}

export function latencyCell(r: RequestSummary, now: number): string {
  if (r.inFlight) return `${formatMs(Math.max(r.latencyMs, now - Date.parse(r.time)))}…`;
  if (r.interrupted) return formatMs(undefined); // how long it ran is not known
  return formatMs(r.latencyMs);
}

export function tokensCell(r: RequestSummary): string {
  const t = r.tokens;
  if (t.input + t.output + t.cached === 0) return '';
  return `${formatCount(t.input + t.cached)} / ${formatCount(t.output)} / ${formatCount(t.cached)}`;
}

export function speedCell(r: RequestSummary): string {
  const tps = r.inFlight ? undefined : tokensPerSecond(r.tokens.output, r.latencyMs, r.ttftMs);
  return tps === undefined ? '' : String(Math.round(tps));
}

/** The row's note: the error, or what happened on the way (retries, queue, failover, notes). */
export function noteCell(r: RequestSummary): string {
  if (r.error) return r.error;
  const parts: string[] = [];
  if (r.failoverFrom) parts.push(`failover from ${r.failoverFrom}`);
  if (r.overflowFrom) parts.push(`overflow from ${r.overflowFrom}`);
  if (r.retries) parts.push(`retried ×${r.retries}`);
  if (r.queueWaitMs >= 100) parts.push(`${formatMs(r.queueWaitMs)} queued`);
  if (r.inFlight) parts.push(r.streamed ? 'streaming' : 'waiting');
  if (r.notes) parts.push(...r.notes);
  return parts.join(' · ');
}

export { formatClock };
