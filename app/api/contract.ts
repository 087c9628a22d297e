/**
 * The admin API contract, shared by the engine (app/api), its hosts (HTTP + SSE, Electron IPC)
 * and the renderer: one zod schema per command input and result, the events, and the one error
 * shape `{ error: { code, message, field? } }` with each code's HTTP status. Browser-safe: this
 * file imports only zod (no Node, no app code). Keys never appear here: a key goes in through
 * `setKey` and only `{ set, last4?, source }` ever comes out.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Errors

/** Every error code and the HTTP status a host answers it with. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const errorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    /** One sentence a person understands; never quotes a key. */
    message: z.string(),
    /** The input field the error is about (`model`, `backends[1].apiKey`, `key`), when one is. */
    field: z.string().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

// ---------------------------------------------------------------------------------------------
// Shared pieces

export const WIRE_FORMAT_NAMES = ['anthropic', 'openai', 'responses'] as const;
export const wireFormatSchema = z.enum(WIRE_FORMAT_NAMES);

export const backendIdInput = z.object({ id: z.string().min(1) }).strict();

/** Where a backend's key comes from: `keychain`, `env:NAME` or `none`. */
export const keyStatusSchema = z.object({
  set: z.boolean(),
  last4: z.string().optional(),
  source: z.string(),
});
export type KeyStatus = z.infer<typeof keyStatusSchema>;

/** A backend as the API shows it: its config (header values hidden) plus key status and quirks in force. */
export const backendViewSchema = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    format: wireFormatSchema,
    baseUrl: z.string(),
    /** The key reference (`keychain`, `env:NAME`, `none`), never a key. */
    apiKey: z.string(),
    model: z.string(),
    smallModel: z.string().optional(),
    contextWindow: z.number().optional(),
    maxOutputTokens: z.number().optional(),
    rpm: z.number().optional(),
    maxConcurrency: z.number().optional(),
    fixedSampling: z.boolean().optional(),
    quirks: z.string().optional(),
    kimi: z.boolean().optional(),
    overflowTo: z.string().optional(),
    timeoutMs: z.number().optional(),
    firstByteTimeoutMs: z.number().optional(),
    idleTimeoutMs: z.number().optional(),
    /** Names of the extra upstream headers (values may be secrets: not shown). */
    headerNames: z.array(z.string()).optional(),
    key: keyStatusSchema,
    /** The quirk profile in force for the backend's main model. */
    quirksInForce: z.string(),
  })
  .strict();
export type BackendView = z.infer<typeof backendViewSchema>;

/** Backend config fields as sent to add/edit/replace: validated as a whole by the config store. */
export const backendFieldsSchema = z.record(z.string(), z.unknown());

// ---------------------------------------------------------------------------------------------
// Live stats (the `stats` event and `getState().stats`)

export const tokenCountsSchema = z.object({ input: z.number(), output: z.number(), cached: z.number() });

export const upstreamQuotaSchema = z.object({
  requestsRemaining: z.number().optional(),
  requestsLimit: z.number().optional(),
  requestsResetAt: z.string().optional(),
  tokensRemaining: z.number().optional(),
  tokensLimit: z.number().optional(),
  tokensResetAt: z.string().optional(),
  observedAt: z.string(),
});

export const backendLiveStatsSchema = z.object({
  backend: z.string(),
  requestsLastMinute: z.number(),
  rpmLimit: z.number().nullable(),
  learnedRpm: z.number().nullable(),
  inFlight: z.number(),
  queued: z.number(),
  requests: z.number(),
  rateLimited: z.number(),
  rateLimitedLastMinute: z.number(),
  retries: z.number(),
  overflows: z.number(),
  errors: z.number(),
  /** The upstream refused the key (401/403) and nothing succeeded since. */
  keyRejected: z.object({ status: z.number(), at: z.string() }).nullable(),
  /** Upstream failures in a row (5xx, no answer, a broken stream). */
  consecutiveFailures: z.number(),
  failovers: z.number(),
  /** Where requests last failed over to, until one succeeds on this backend again. */
  failedOverTo: z.string().nullable(),
  lastOverflowTo: z.string().nullable(),
  tokens: tokenCountsSchema,
  upstreamQuota: upstreamQuotaSchema.nullable(),
});

export const statsSnapshotSchema = z.object({ time: z.string(), backends: z.array(backendLiveStatsSchema) });
export type StatsSnapshot = z.infer<typeof statsSnapshotSchema>;

// ---------------------------------------------------------------------------------------------
// Request log

export const capturedBodySchema = z.object({ text: z.string(), truncated: z.boolean(), originalLength: z.number() });

const requestFields = {
  id: z.string(),
  time: z.string(),
  agent: z.string(),
  inboundFormat: wireFormatSchema,
  path: z.string().optional(),
  backend: z.string().optional(),
  failoverFrom: z.string().optional(),
  overflowFrom: z.string().optional(),
  notes: z.array(z.string()).optional(),
  modelRequested: z.string().optional(),
  modelUsed: z.string().optional(),
  upstreamId: z.string().optional(),
  /** 0 while in flight (or when the client left before any status). */
  status: z.number(),
  error: z.string().optional(),
  aborted: z.boolean().optional(),
  /** While in flight: the time so far. */
  latencyMs: z.number(),
  ttftMs: z.number().optional(),
  tokens: tokenCountsSchema,
  streamed: z.boolean(),
  retries: z.number(),
  queueWaitMs: z.number(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  /** Started and not finished yet (absent once finished). */
  inFlight: z.literal(true).optional(),
  /** Started, and Patchbay stopped (killed, crashed) before it ended: status 0, duration unknown. */
  interrupted: z.literal(true).optional(),
};

export const requestSummarySchema = z.object({ ...requestFields, hasBodies: z.boolean() });
export type RequestSummary = z.infer<typeof requestSummarySchema>;

export const requestEntrySchema = z.object({
  ...requestFields,
  bodies: z
    .object({ request: capturedBodySchema.optional(), upstreamRequest: capturedBodySchema.optional(), response: capturedBodySchema.optional() })
    .optional(),
});
export type RequestEntry = z.infer<typeof requestEntrySchema>;

export const MAX_REQUESTS_PAGE = 500;

const filterText = z.string().max(200).optional();

export const listRequestsInputSchema = z
  .object({
    backend: filterText,
    agent: filterText,
    text: filterText,
    /** An exact status (`429`), a class (`4xx`), `error`, `ok` or `interrupted`. */
    status: filterText.refine((v) => v === undefined || v === '' || /^(\d{3}|[1-5]xx|error|ok|interrupted)$/i.test(v), {
      message: 'must be a status (429), a class (4xx) or "error" / "ok" / "interrupted"',
    }),
    limit: z.coerce.number().int().min(1).max(MAX_REQUESTS_PAGE).optional(),
    /** `nextCursor` of the previous page. */
    cursor: filterText,
  })
  .strict();
export type ListRequestsInput = z.input<typeof listRequestsInputSchema>;

export const listRequestsResultSchema = z.object({ items: z.array(requestSummarySchema), nextCursor: z.string().nullable() });
export type ListRequestsResult = z.infer<typeof listRequestsResultSchema>;

// ---------------------------------------------------------------------------------------------
// State

export const requestLogHealthSchema = z.object({
  /** Lines skipped while loading (torn or corrupt). */
  skippedLines: z.number(),
  /** Requests found interrupted at start-up (started before a kill or crash, never ended). */
  interrupted: z.number(),
  /** Failed write attempts (each batch of lines retried every second while the disk refuses). */
  writeErrors: z.number(),
  /** Lines dropped because the write queue was full. */
  dropped: z.number(),
  /** Writes are failing (folder gone or unwritable, disk full): since the first failure, the latest error; null when writing. */
  failing: z.object({ since: z.string(), message: z.string() }).nullable(),
  /** Requests started and not finished. */
  inFlight: z.number(),
  keepBodies: z.boolean(),
});

export const stateSchema = z.object({
  active: z.string(),
  backends: z.array(backendViewSchema),
  failover: z.array(z.string()),
  /** Paused from the tray or the dashboard: model calls get a 503 saying so until resumed. */
  paused: z.boolean(),
  stats: statsSnapshotSchema,
  requestLog: requestLogHealthSchema,
});
export type State = z.infer<typeof stateSchema>;

// ---------------------------------------------------------------------------------------------
// Backends, keys, tokens

export const setActiveInputSchema = z.object({ backend: z.string().min(1) }).strict();
export const setPausedInputSchema = z.object({ paused: z.boolean() }).strict();

export const presetSchema = z.record(z.string(), z.unknown()).and(z.object({ id: z.string(), format: wireFormatSchema, apiKey: z.string() }));
export const listPresetsResultSchema = z.object({ presets: z.array(presetSchema) });

/** The config fields of a backend, or `{ preset, id, ...overrides }`; `apiKey` defaults to `keychain`. */
export const addBackendInputSchema = backendFieldsSchema;
export const editBackendInputSchema = z.object({ id: z.string().min(1), fields: backendFieldsSchema }).strict();
export const replaceBackendInputSchema = editBackendInputSchema;
export const removeBackendResultSchema = z.object({ deleted: z.string() });
export const setFailoverInputSchema = z.object({ backends: z.array(z.string()) }).strict();
export const setFailoverResultSchema = z.object({ failover: z.array(z.string()) });

export const setKeyInputSchema = z.object({ id: z.string().min(1), key: z.string() }).strict();
export const setKeyResultSchema = keyStatusSchema.extend({
  backend: z.string(),
  /** The key reference the backend used before (it now reads the keychain). */
  switchedFrom: z.string().optional(),
  message: z.string().optional(),
});
export const deleteKeyResultSchema = z.object({ backend: z.string(), set: z.literal(false) });
export const getKeyResultSchema = keyStatusSchema;

export const VERDICTS = ['ok', 'no_key', 'bad_key', 'wrong_base_url', 'unknown_model', 'unreachable', 'rate_limited', 'upstream_error'] as const;
export const diagnosisSchema = z.object({
  backend: z.string(),
  ok: z.boolean(),
  verdict: z.enum(VERDICTS),
  message: z.string(),
  latencyMs: z.number().optional(),
  status: z.number().optional(),
  retryAfterSeconds: z.number().optional(),
});
export type Diagnosis = z.infer<typeof diagnosisSchema>;

export const rotateClientTokenResultSchema = z.object({ clientToken: z.string(), persistent: z.boolean() });

// ---------------------------------------------------------------------------------------------
// Agents

export const snippetSchema = z.object({
  kind: z.enum(['env', 'file', 'text']),
  language: z.enum(['sh', 'json', 'toml', 'yaml', 'text']),
  title: z.string(),
  target: z.string().optional(),
  text: z.string(),
  edits: z.array(z.unknown()).optional(),
  format: z.enum(['json', 'toml', 'yaml']).optional(),
});

export const agentSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  snippets: z.array(snippetSchema),
  warnings: z.array(z.string()),
  written: z.object({ at: z.string(), files: z.array(z.string()) }).nullable(),
  needsRewrite: z.boolean(),
});
export const listAgentsResultSchema = z.object({ agents: z.array(agentSummarySchema) });

export const agentIdInputSchema = z.object({ id: z.string().min(1) }).strict();
export const restoreAgentInputSchema = z.object({ id: z.string().min(1), force: z.boolean().optional() }).strict();

export const previewAgentResultSchema = z.object({
  files: z.array(z.object({ target: z.string(), path: z.string(), exists: z.boolean(), changed: z.boolean(), diff: z.string() })),
});
export const writeAgentResultSchema = z.object({
  files: z.array(z.object({ target: z.string(), path: z.string(), changed: z.boolean(), backup: z.string().optional(), sha256: z.string() })),
  warnings: z.array(z.string()),
});
export const restoreAgentResultSchema = z.object({
  files: z.array(z.object({ target: z.string(), path: z.string(), restoredFrom: z.string() })),
});

/** The text "Copy Claude Code env" copies: `export ANTHROPIC_BASE_URL=…` lines for a shell. */
export const claudeCodeEnvResultSchema = z.object({ text: z.string() });

// ---------------------------------------------------------------------------------------------
// Commands: name -> input and result schemas

const noInput = z.object({}).strict().optional();

export const COMMANDS = {
  getState: { input: noInput, result: stateSchema },
  setActive: { input: setActiveInputSchema, result: stateSchema },
  setPaused: { input: setPausedInputSchema, result: stateSchema },
  listPresets: { input: noInput, result: listPresetsResultSchema },
  addBackend: { input: addBackendInputSchema, result: backendViewSchema },
  editBackend: { input: editBackendInputSchema, result: backendViewSchema },
  replaceBackend: { input: replaceBackendInputSchema, result: backendViewSchema },
  removeBackend: { input: backendIdInput, result: removeBackendResultSchema },
  setFailover: { input: setFailoverInputSchema, result: setFailoverResultSchema },
  getKey: { input: backendIdInput, result: getKeyResultSchema },
  setKey: { input: setKeyInputSchema, result: setKeyResultSchema },
  deleteKey: { input: backendIdInput, result: deleteKeyResultSchema },
  testBackend: { input: backendIdInput, result: diagnosisSchema },
  rotateClientToken: { input: noInput, result: rotateClientTokenResultSchema },
  listRequests: { input: listRequestsInputSchema.optional(), result: listRequestsResultSchema },
  getRequest: { input: z.object({ id: z.string().min(1) }).strict(), result: requestEntrySchema },
  listAgents: { input: noInput, result: listAgentsResultSchema },
  previewAgent: { input: agentIdInputSchema, result: previewAgentResultSchema },
  writeAgent: { input: agentIdInputSchema, result: writeAgentResultSchema },
  restoreAgent: { input: restoreAgentInputSchema, result: restoreAgentResultSchema },
  getClaudeCodeEnv: { input: noInput, result: claudeCodeEnvResultSchema },
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandInput<C extends CommandName> = z.input<(typeof COMMANDS)[C]['input']>;
export type CommandResult<C extends CommandName> = z.infer<(typeof COMMANDS)[C]['result']>;

/** Where the caller reached Patchbay (the HTTP host passes its loopback URL; snippets use it). */
export interface CallContext {
  baseUrl?: string;
}

/** One async method per command: what every host (in-process, HTTP, IPC) offers the UI. */
export type AdminCommands = {
  [C in CommandName]: undefined extends CommandInput<C>
    ? (input?: CommandInput<C>, context?: CallContext) => Promise<CommandResult<C>>
    : (input: CommandInput<C>, context?: CallContext) => Promise<CommandResult<C>>;
};

// ---------------------------------------------------------------------------------------------
// Events

export const EVENTS = {
  /** Live numbers per backend (coalesced to a few per second). */
  stats: statsSnapshotSchema,
  /** Backends, keys, active or failover changed: the new state. */
  stateChanged: stateSchema,
  /** A proxied request started (in flight). */
  requestStarted: requestSummarySchema,
  /** Something about an in-flight request changed (backend, model, status, tokens). */
  requestUpdated: requestSummarySchema,
  /** It finished: the final summary (no `inFlight`). */
  requestFinished: requestSummarySchema,
} as const;

export type EventName = keyof typeof EVENTS;
export type AdminEvent = { [E in EventName]: { type: E; data: z.infer<(typeof EVENTS)[E]> } }[EventName];
export type EventListener = (event: AdminEvent) => void;

export interface AdminApi extends AdminCommands {
  /** Receive events until the returned function is called. */
  subscribe(listener: EventListener): () => void;
}
