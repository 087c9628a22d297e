/**
 * The small line the log writes when a request starts (`"kind":"start"`), before the whole
 * entry line it writes when the request ends. A start with no end after a restart is a request
 * the process never finished (killed, crashed, power cut): it becomes an `interrupted` entry
 * with what the start said. Older Patchbays skip start lines as invalid entries.
 */
import { z } from 'zod';
import { requestEntrySchema } from './entry-schema';
import type { RequestEntry } from './request-entry';

export const INTERRUPTED_MESSAGE = 'interrupted: Patchbay stopped before this request finished';

/** What a start line holds: who asked, in which format, where it went (as far as known then). */
export type StartLine = Pick<RequestEntry, 'id' | 'time' | 'agent' | 'inboundFormat' | 'streamed' | 'bytesIn'> &
  Partial<Pick<RequestEntry, 'path' | 'backend' | 'modelRequested' | 'modelUsed' | 'failoverFrom' | 'overflowFrom'>>;

/** The stored entry's own field rules, for the fields a start knows. */
const startLineSchema = requestEntrySchema
  .pick({ id: true, time: true, agent: true, inboundFormat: true, path: true, backend: true, modelRequested: true, modelUsed: true, failoverFrom: true, overflowFrom: true, streamed: true, bytesIn: true })
  .extend({ kind: z.literal('start') });

/** The start line of an entry in flight (serialised at flush time, so it holds what is known by then). */
export function startLineOf(e: Readonly<RequestEntry>): Buffer {
  const line: StartLine & { kind: 'start' } = {
    kind: 'start',
    id: e.id,
    time: e.time,
    agent: e.agent,
    inboundFormat: e.inboundFormat,
    streamed: e.streamed,
    bytesIn: e.bytesIn,
  };
  if (e.path !== undefined) line.path = e.path;
  if (e.backend !== undefined) line.backend = e.backend;
  if (e.modelRequested !== undefined) line.modelRequested = e.modelRequested;
  if (e.modelUsed !== undefined) line.modelUsed = e.modelUsed;
  if (e.failoverFrom !== undefined) line.failoverFrom = e.failoverFrom;
  if (e.overflowFrom !== undefined) line.overflowFrom = e.overflowFrom;
  return Buffer.from(JSON.stringify(line), 'utf8');
}

/** What a later start line would add: when this changes after the start was written, it is written again. */
export function startSignature(e: Readonly<RequestEntry>): string {
  return `${e.backend ?? ''}\u0000${e.modelUsed ?? ''}\u0000${e.modelRequested ?? ''}\u0000${e.streamed ? 1 : 0}`;
}

export function isStartLine(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'start';
}

/** The start a stored line holds, or undefined when it is not a valid start line. */
export function parseStartLine(value: unknown): StartLine | undefined {
  const r = startLineSchema.safeParse(value);
  if (!r.success) return undefined;
  const { kind: _kind, ...start } = r.data;
  return start as StartLine;
}

/** The entry for a request that started and never ended: what was known, status 0, no duration. */
export function interruptedEntry(start: StartLine): RequestEntry {
  return {
    ...start,
    status: 0,
    interrupted: true,
    error: INTERRUPTED_MESSAGE,
    latencyMs: 0,
    tokens: { input: 0, output: 0, cached: 0 },
    retries: 0,
    queueWaitMs: 0,
    bytesOut: 0,
  };
}
