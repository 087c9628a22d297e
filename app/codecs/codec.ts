/**
 * The contract every wire-format codec implements. A codec knows one format only;
 * translation between two formats is always `decode(A) -> IR -> encode(B)`.
 *
 * The same codec serves both sides:
 * - client side: decodeRequest, encodeResponse, createStreamEncoder, encodeError
 * - backend side: encodeRequest, decodeResponse, createStreamDecoder, decodeError
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ChatRequest, ChatResponse, Usage } from '../ir/conversation';
import type { ApiError } from '../ir/errors';
import type { StreamEvent } from '../ir/stream';
import type { TextToolCallSyntax } from '../quirks/profile';
import type { ToolNameMap } from '../translate/tool-names';

export type WireFormat = 'anthropic' | 'openai' | 'responses';

/** What an encoder needs to know about the backend it writes for. */
export interface BackendTarget {
  /** Upstream model id to put in the request. */
  model: string;
  /** Clamp max output tokens to this (and fill it in when the client gave none). */
  maxOutputTokens?: number;
  /** Sampling parameters the model fixes: leave them out of the request. */
  fixedSampling?: boolean;
  /**
   * Echo reasoning on assistant turns (unsigned reasoning included); on OpenAI-format requests
   * every tool-call turn carries some, a placeholder where none is known (Kimi refuses it missing).
   */
  echoReasoning?: boolean;
  /** The model refuses a forced tool choice (required / a named tool): ask for auto. */
  noForcedToolChoice?: boolean;
}

/** Per-request state shared by the encoder and decoder of one exchange. */
export interface TranslationContext {
  /** Tool names as sent on the wire <-> as the client declared them. */
  toolNames: ToolNameMap;
  /** Model name the client asked for (echoed back in responses to the client). */
  requestedModel: string;
  /** The id of the response to the client, when the proxy must know it up front (Responses: kept for previous_response_id). */
  responseId?: string;
  /** OpenAI client asked for `stream_options.include_usage` (send the trailing usage chunk). */
  includeUsage?: boolean;
  /** The model may write tool calls as text in this syntax: decoders turn them into real calls. */
  textToolCalls?: TextToolCallSyntax;
}

/** One Server-Sent Event as read off the wire (`event:` may be absent). */
export interface SseMessage {
  event?: string;
  data: string;
}

export interface StreamDecoder {
  /** Feed one SSE message from the upstream; returns the IR events it completes. */
  push(message: SseMessage): StreamEvent[];
  /**
   * The upstream closed the stream. Returns closing events; when the upstream ended without
   * finishing the message this is an `error` event (a truncated answer must never look complete).
   */
  end(): StreamEvent[];
}

export interface StreamEncoder {
  /** Serialise one IR event as SSE text in this format ('' when the format has no equivalent). */
  encode(event: StreamEvent): string;
}

export interface EncodedError {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** `chat`: a model call; `count_tokens`: Anthropic's token count. */
export type Operation = 'chat' | 'count_tokens';

/** A path a client of a format calls on the proxy, and what it asks for. */
export interface ClientRoute {
  path: string;
  operation: Operation;
}

/** What a relayed (pass-through) answer says about usage and its response id. */
export interface RelayedResponseFacts {
  /**
   * Usage in one relayed SSE event's parsed data, or a whole body's (`streamed` false), merged
   * into `known` (IR semantics, cumulative); undefined when it carries none.
   */
  usage(value: Record<string, unknown>, streamed: boolean, known: Usage): Usage | undefined;
  /**
   * Where the response id sits: `first-event` (Anthropic: `message_start.message.id`, once per
   * stream), `every-chunk` (OpenAI Chat: every chunk's top-level `id`, added when missing),
   * `lifecycle` (Responses: `response.id` of every `response.*` event).
   */
  readonly idPlacement: 'first-event' | 'every-chunk' | 'lifecycle';
  /** Whether a parsed whole (non-streamed) body is a response of this format (not an error or a count). */
  isResponseBody(value: Record<string, unknown>): boolean;
}

/**
 * A format's facts on the wire, beyond translation: where its clients call, where its backends
 * live and how they are authenticated, how its streams keep alive, end and fail, and how it words
 * a prompt that is too long. The proxy asks these; it never compares format names itself.
 */
export interface WireFacts {
  /** Display name, e.g. "Anthropic Messages". */
  readonly title: string;
  /** Client side: the proxy routes this format's clients call. */
  readonly clientRoutes: readonly ClientRoute[];
  /** Backend side: the path of an operation under the backend's baseUrl; undefined when the format has none. */
  upstreamPath(operation: Operation): string | undefined;
  /** How this format's base URLs look (for a wrong-base-URL diagnosis). */
  readonly baseUrlHint: string;
  /** Auth and version headers for a backend of this format (the key never anywhere else). */
  authHeaders(key: string | undefined, clientHeaders: IncomingHttpHeaders): Record<string, string>;
  /** SSE text a client of this format ignores, written while the upstream is silent. */
  readonly pingFrame: string;
  /** The relayed SSE message that completes (or fails) a stream of this format. */
  isFinalEvent(message: SseMessage): boolean;
  /** The event ending an already committed stream with an error, for a client of this format. */
  streamErrorEventText(error: ApiError, requestedModel: string): string;
  /** The error a client of this format understands as "your prompt is over the context window". */
  promptTooLong(estimate: number | undefined, limit: number | undefined): ApiError;
  /** An upstream's context-overflow refusal reworded for this format's clients; undefined: relay it as it is. */
  upstreamOverflowForClient(upstream: ApiError, estimate: number | undefined, limit: number | undefined): ApiError | undefined;
  /**
   * The client's request relies on conversation state the proxy keeps (Responses `store`,
   * `previous_response_id`): it is served through the IR even to a backend of the same format.
   */
  keepsHistory(body: Record<string, unknown>): boolean;
  /** Hosted tools in a client's body that a translated request leaves out (the backend cannot run them). */
  toolsLeftOut(body: Record<string, unknown>): string[];
  /** Stream usage a client of this format asked for in its body (for the translation context). */
  wantsStreamUsage(body: Record<string, unknown>): boolean | undefined;
  readonly relayed: RelayedResponseFacts;
  /** The cheapest real request for a backend diagnosis, and whether an answer is shaped like this format's. */
  readonly probe: { body(model: string): Record<string, unknown>; looksLikeAnswer(value: Record<string, unknown>): boolean };
}

export interface WireCodec {
  readonly format: WireFormat;
  readonly wire: WireFacts;

  /** Validate and decode a client's request body. Throws ApiErrorException (invalid_request). */
  decodeRequest(body: unknown): ChatRequest;
  /** Encode an IR request for a backend of this format. */
  encodeRequest(request: ChatRequest, target: BackendTarget, ctx: TranslationContext): Record<string, unknown>;

  /** Decode a backend's non-streaming JSON response. */
  decodeResponse(body: unknown, ctx: TranslationContext): ChatResponse;
  /** Encode an IR response for a client of this format. */
  encodeResponse(response: ChatResponse, ctx: TranslationContext): Record<string, unknown>;

  createStreamDecoder(ctx: TranslationContext): StreamDecoder;
  createStreamEncoder(ctx: TranslationContext): StreamEncoder;

  /** Decode an upstream error response (status, parsed JSON body or raw text, headers). */
  decodeError(status: number, body: unknown, headers: Record<string, string | string[] | undefined>): ApiError;
  /** Encode an IR error for a client of this format. */
  encodeError(error: ApiError): EncodedError;
}
