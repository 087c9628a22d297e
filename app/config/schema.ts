/**
 * The config file format (JSON). Validated with zod; every error names the field.
 * See README.md "Config file" for the user-facing description.
 */
import { z } from 'zod';
import { WIRE_FORMATS } from '../codecs/registry';
import { QUIRKS_NAMES } from '../quirks/index';

/** Where a backend's upstream key comes from. Literal keys are refused. */
export const KEY_REF_HINT =
  'keys do not belong in the config file: set an environment variable and write "env:NAME", ' +
  'or store the key in the OS keychain and write "keychain" (or "none" for a backend that needs no key)';

export const keyRefSchema = z.string().superRefine((value, ctx) => {
  if (value === 'keychain' || value === 'none') return;
  if (/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return;
  ctx.addIssue({ code: 'custom', message: `literal key refused: ${KEY_REF_HINT}` });
});

export const backendIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1-64 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit');

export const backendSchema = z
  .object({
    id: backendIdSchema,
    /** Display name. */
    name: z.string().min(1).optional(),
    format: z.enum(WIRE_FORMATS),
    /** Anthropic-format: without /v1 (https://api.moonshot.ai/anthropic). OpenAI-format: with it. */
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    apiKey: keyRefSchema,
    /** Model used for main work (and for claude-* names and opus/sonnet tiers). */
    model: z.string().min(1),
    /** Model for background work (haiku tier). Defaults to `model`. */
    smallModel: z.string().min(1).optional(),
    /** Context window in tokens; prompts over it get "prompt is too long". */
    contextWindow: z.number().int().positive().optional(),
    /** Max output tokens the backend accepts; client values are clamped to it. */
    maxOutputTokens: z.number().int().positive().optional(),
    /** Requests per minute the backend allows (paced proactively). */
    rpm: z.number().int().positive().optional(),
    /** Concurrent requests at most. */
    maxConcurrency: z.number().int().positive().optional(),
    /** The model fixes temperature/top_p/n/penalties: do not send them. */
    fixedSampling: z.boolean().optional(),
    /**
     * Quirk profile for every model of this backend (`kimi`, `none`); when absent it is inferred
     * from each request's upstream model id (app/quirks).
     */
    quirks: z.enum(QUIRKS_NAMES).optional(),
    /** Old alias: `true` is `"quirks": "kimi"`, `false` is `"quirks": "none"` (`quirks` wins). */
    kimi: z.boolean().optional(),
    /** Extra headers sent upstream (values may be "env:NAME"). */
    headers: z.record(z.string(), z.string()).optional(),
    /** Backend that takes a request whose prompt does not fit this one's context window (when it has a key). */
    overflowTo: backendIdSchema.optional(),
    /** Both upstream timeouts below at once, in ms (older configs); the specific ones win. */
    timeoutMs: z.number().int().positive().optional(),
    /** Longest wait for the upstream's response headers, in ms (default 10 minutes: a non-streamed answer comes whole). */
    firstByteTimeoutMs: z.number().int().positive().optional(),
    /** Longest silence between body chunks once the upstream answered, in ms (default 5 minutes; clients get pings meanwhile). */
    idleTimeoutMs: z.number().int().positive().optional(),
  })
  .strict();

export const configSchema = z
  .object({
    /** Token agents must present (x-api-key or Bearer). Generated when absent. */
    clientToken: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Token for the admin API. Generated when absent. */
    adminToken: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Id of the backend that serves requests. */
    active: backendIdSchema,
    backends: z.array(backendSchema).min(1, 'needs at least one backend'),
    /** Ordered backends to use when the active one is rate limited or down. */
    failover: z.array(backendIdSchema).optional(),
    /** Max request body in bytes (default 32 MiB). */
    bodyLimitBytes: z.number().int().positive().optional(),
    /** Request log settings. */
    log: z
      .object({
        /** Keep request/response bodies (size-capped, keys redacted). Default false. */
        bodies: z.boolean().optional(),
        /** Rotate a log file at this size (default 10 MiB). */
        maxFileBytes: z.number().int().positive().optional(),
        /** Keep this many log files (default 10). */
        maxFiles: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    /** Queueing and retry settings. */
    limits: z
      .object({
        /** A request that would wait longer than this in a backend's queue gets a 429 (default 120000). */
        maxQueueWaitMs: z.number().int().nonnegative().optional(),
        /** Total time budget for retries of one request (default 90000). */
        retryDeadlineMs: z.number().int().positive().optional(),
        /** Attempts per backend at most, first one included (default 4). */
        maxAttempts: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    config.backends.forEach((b, i) => {
      if (ids.has(b.id)) ctx.addIssue({ code: 'custom', path: ['backends', i, 'id'], message: `duplicate backend id "${b.id}"` });
      ids.add(b.id);
    });
    if (!ids.has(config.active)) ctx.addIssue({ code: 'custom', path: ['active'], message: `no backend has id "${config.active}"` });
    config.failover?.forEach((id, i) => {
      if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['failover', i], message: `no backend has id "${id}"` });
    });
    config.backends.forEach((b, i) => {
      if (b.overflowTo === undefined) return;
      if (b.overflowTo === b.id) ctx.addIssue({ code: 'custom', path: ['backends', i, 'overflowTo'], message: 'a backend cannot overflow to itself' });
      else if (!ids.has(b.overflowTo)) ctx.addIssue({ code: 'custom', path: ['backends', i, 'overflowTo'], message: `no backend has id "${b.overflowTo}"` });
    });
  });

export type BackendConfig = z.infer<typeof backendSchema>;
export type PatchbayConfig = z.infer<typeof configSchema>;

/** Turn zod issues into one readable message naming each field, e.g. `backends[1].baseUrl: must be an http(s) URL`. */
export function formatConfigIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path
        .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
        .join('');
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('\n');
}
