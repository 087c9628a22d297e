/**
 * One line of the request log: everything known about one proxied request.
 * Written as one NDJSON line by app/log/request-log.ts; served by the admin API.
 */
import type { WireFormat } from '../codecs/codec';

export interface TokenCounts {
  /** Input tokens not served from cache (IR semantics). */
  input: number;
  output: number;
  /** Input tokens read from the provider's prompt cache. */
  cached: number;
}

/** A body as kept in the log: redacted, capped, marked when cut. */
export interface CapturedBody {
  text: string;
  truncated: boolean;
  /** Size of the whole body before capping, in characters. */
  originalLength: number;
}

export interface EntryBodies {
  /** The request as the client sent it. */
  request?: CapturedBody;
  /** The request as sent upstream (after translation). */
  upstreamRequest?: CapturedBody;
  /** The response as sent to the client (stream text for streamed answers). */
  response?: CapturedBody;
}

export interface RequestEntry {
  id: string;
  /** When the request arrived (ISO 8601). */
  time: string;
  /** Agent that sent it, from its user-agent (see agentFromUserAgent). */
  agent: string;
  inboundFormat: WireFormat;
  /** Path the client called (no query string). */
  path?: string;
  /** Backend that served (or last tried) the request. */
  backend?: string;
  /** Backend that was tried first when another one ended up serving. */
  failoverFrom?: string;
  /** Backend whose context window the prompt did not fit (it went to that backend's `overflowTo`). */
  overflowFrom?: string;
  /** What the proxy changed or left out that the user should know (e.g. tools the backend cannot run). */
  notes?: string[];
  modelRequested?: string;
  modelUsed?: string;
  /**
   * The response id the upstream gave (`chatcmpl-…`, `msg_…`), when it gave one. The client
   * always gets a fresh id of Patchbay's instead (upstreams may repeat or omit theirs).
   */
  upstreamId?: string;
  /** HTTP status answered to the client; 0 when the client went away before any status. */
  status: number;
  /** Error text (redacted), when the request failed or was cut short. */
  error?: string;
  /** True when the client hung up or the stream was cut before the answer completed. */
  aborted?: boolean;
  /**
   * The request started and Patchbay stopped (killed, crashed, power cut) before it ended: made
   * at load from a start line with no end; status 0, duration unknown (latencyMs 0).
   */
  interrupted?: true;
  latencyMs: number;
  /** Time to the first token sent to the client, in ms (streamed answers). */
  ttftMs?: number;
  tokens: TokenCounts;
  streamed: boolean;
  retries: number;
  queueWaitMs: number;
  bytesIn: number;
  bytesOut: number;
  bodies?: EntryBodies;
}

/** An entry as listed (bodies left out; `hasBodies` says whether `get` has them). */
export type RequestSummary = Omit<RequestEntry, 'bodies'> & { hasBodies: boolean };

export function summarize(entry: RequestEntry): RequestSummary {
  const summary = withoutBodies(entry) as RequestSummary;
  summary.hasBodies = entry.bodies !== undefined && Object.keys(entry.bodies).length > 0;
  return summary;
}

/**
 * A shallow copy of the entry without its bodies. A for-in copy, not `{ bodies, ...rest }`: the
 * same keys in the same order, at about a tenth of the cost (object rest goes through V8's slow
 * path, about 2 µs per copy of an entry in a tight loop; a few copies are made per request).
 */
export function withoutBodies(entry: RequestEntry): Omit<RequestEntry, 'bodies'> {
  const copy: Record<string, unknown> = {};
  for (const key in entry) if (key !== 'bodies') copy[key] = entry[key as keyof RequestEntry];
  return copy as Omit<RequestEntry, 'bodies'>;
}

export { agentFromHeaders, agentFromUserAgent } from './agent-from-user-agent';
