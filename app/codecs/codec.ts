/**
 * The contract every wire-format codec implements. A codec knows one format only;
 * translation between two formats is always `decode(A) -> IR -> encode(B)`.
 *
 * The same codec serves both sides:
 * - client side: decodeRequest, encodeResponse, createStreamEncoder, encodeError
 * - backend side: encodeRequest, decodeResponse, createStreamDecoder, decodeError
 */
import type { ChatRequest, ChatResponse } from '../ir/conversation';
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

export interface WireCodec {
  readonly format: WireFormat;

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
