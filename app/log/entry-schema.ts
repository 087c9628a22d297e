/**
 * Validation of log lines read back from disk (files may come from an older Patchbay or be
 * damaged): required identity fields must be there, counters default to 0.
 */
import { z } from 'zod';
import { WIRE_FORMATS } from '../codecs/registry';
import type { RequestEntry } from './request-entry';

const capturedBodySchema = z.object({
  text: z.string(),
  truncated: z.boolean(),
  originalLength: z.number(),
});

const count = z.number().nonnegative().catch(0).default(0);

export const requestEntrySchema = z.object({
  id: z.string().min(1),
  time: z.string().min(1),
  agent: z.string().default('unknown'),
  inboundFormat: z.enum(WIRE_FORMATS),
  path: z.string().optional(),
  backend: z.string().optional(),
  failoverFrom: z.string().optional(),
  overflowFrom: z.string().optional(),
  notes: z.array(z.string()).optional(),
  modelRequested: z.string().optional(),
  modelUsed: z.string().optional(),
  upstreamId: z.string().optional(),
  status: z.number().int(),
  error: z.string().optional(),
  aborted: z.boolean().optional(),
  latencyMs: count,
  ttftMs: z.number().nonnegative().optional(),
  tokens: z.object({ input: count, output: count, cached: count }).default({ input: 0, output: 0, cached: 0 }),
  streamed: z.boolean().default(false),
  retries: count,
  queueWaitMs: count,
  bytesIn: count,
  bytesOut: count,
  bodies: z
    .object({
      request: capturedBodySchema.optional(),
      upstreamRequest: capturedBodySchema.optional(),
      response: capturedBodySchema.optional(),
    })
    .optional(),
});

/** The entry a stored line holds, or undefined when the line is not a valid entry. */
export function parseStoredEntry(value: unknown): RequestEntry | undefined {
  const r = requestEntrySchema.safeParse(value);
  return r.success ? (r.data as RequestEntry) : undefined;
}
