/**
 * Patchbay's one internal representation (IR) of a model conversation.
 *
 * Every wire format has one codec that decodes into and encodes from these types
 * (see docs/adr/0002-one-ir-one-codec-per-format.md). The IR is a superset of what
 * the formats can say: anything one format carries that another cannot is still kept
 * here, and the encoder of the poorer format decides how to express it (never by
 * silently dropping it).
 *
 * Conventions:
 * - camelCase field names, never a wire format's spelling.
 * - Optional fields are left out (not `undefined`-valued) when absent.
 * - Tool ids in the IR are whatever the producer emitted (e.g. Kimi's `functions.Write:0`);
 *   encoders make them legal for their format (see app/translate/tool-ids.ts).
 */

/** Opaque provider hint that a block may be cached (Anthropic `cache_control`). */
export interface CacheHint {
  type: 'ephemeral';
  ttl?: string;
}

export interface TextBlock {
  type: 'text';
  text: string;
  cache?: CacheHint;
}

export type ImageSource =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url'; url: string };

export interface ImageBlock {
  type: 'image';
  source: ImageSource;
  cache?: CacheHint;
}

/** A document (PDF or plain text) attached by the user. */
export interface DocumentBlock {
  type: 'document';
  source:
    | { kind: 'base64'; mediaType: string; data: string }
    | { kind: 'url'; url: string }
    | { kind: 'text'; mediaType: string; data: string };
  title?: string;
  cache?: CacheHint;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  /** Parsed arguments. Always a JSON object for well-formed calls. */
  input: Record<string, unknown>;
  cache?: CacheHint;
}

export interface ToolResultBlock {
  type: 'tool_result';
  toolUseId: string;
  /** Never empty after decoding: an empty result becomes one empty-marker text block. */
  content: Array<TextBlock | ImageBlock>;
  isError: boolean;
  cache?: CacheHint;
}

export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  /** Anthropic's signature when the producer gave one; absent for OpenAI `reasoning_content`. */
  signature?: string;
}

export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export type ContentBlock =
  | TextBlock
  | ImageBlock
  | DocumentBlock
  | ToolUseBlock
  | ToolResultBlock
  | ThinkingBlock
  | RedactedThinkingBlock;

/**
 * `system` messages may appear mid-conversation (Claude Code's
 * `mid-conversation-system-2026-04-07` beta, OpenAI `system`/`developer` messages);
 * they are kept in place, never dropped.
 */
export type Role = 'user' | 'assistant' | 'system';

export interface Message {
  role: Role;
  content: ContentBlock[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the input, kept intact. */
  inputSchema: Record<string, unknown>;
  /** OpenAI `strict` flag, when the client set one. */
  strict?: boolean;
  cache?: CacheHint;
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'any' }
  | { type: 'none' }
  | { type: 'tool'; name: string };

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high' | 'max';

export interface ThinkingConfig {
  /** `adaptive` = the model decides (Claude Code's `{"type":"adaptive"}`). */
  mode: 'enabled' | 'adaptive' | 'disabled';
  budgetTokens?: number;
  effort?: ReasoningEffort;
}

/**
 * Structured output the client asked for (OpenAI Responses `text.format`): a JSON schema the
 * answer must follow. Encoders of formats that cannot enforce it refuse the request (400).
 */
export interface OutputFormat {
  type: 'json_schema';
  name: string;
  schema: Record<string, unknown>;
  strict?: boolean;
  description?: string;
}

/**
 * Conversation state a Responses client keeps on the server (OpenAI `store`,
 * `previous_response_id`, `instructions`); set by the Responses decoder only and read by
 * app/responses-store/, which rebuilds and remembers conversations.
 */
export interface ResponsesState {
  /** The earlier response this request continues: its conversation comes before this one. */
  previousResponseId?: string;
  /** false (`store: false`, Codex): the client keeps the history; never remember the answer. */
  store: boolean;
  /** Leading `system` blocks that are the request's `instructions`, which a follow-up does not inherit. */
  instructionBlocks: number;
}

export interface ChatRequest {
  model: string;
  /** Top-level system prompt, in order. Empty when none. */
  system: TextBlock[];
  messages: Message[];
  tools: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** false = at most one tool call per turn (Anthropic `disable_parallel_tool_use: true`). */
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  stream: boolean;
  thinking?: ThinkingConfig;
  /** Opaque end-user id (Anthropic `metadata.user_id`, OpenAI `user`). */
  userId?: string;
  /** JSON-schema output the client requires (Responses `text.format`); absent for free text. */
  outputFormat?: OutputFormat;
  /** Responses clients only: server-kept conversation state (see ResponsesState). */
  responsesState?: ResponsesState;
}

export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal';

export interface Usage {
  /** Input tokens NOT served from cache (Anthropic semantics). */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache. */
  cacheReadTokens?: number;
  /** Input tokens written to the provider's prompt cache. */
  cacheCreationTokens?: number;
}

/** Output blocks a model can produce. */
export type OutputBlock = TextBlock | ToolUseBlock | ThinkingBlock | RedactedThinkingBlock;

export interface ChatResponse {
  id: string;
  model: string;
  content: OutputBlock[];
  stopReason: StopReason;
  stopSequence?: string;
  usage: Usage;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0 };
}
