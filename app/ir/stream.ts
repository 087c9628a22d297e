/**
 * The IR of a streamed model response.
 *
 * Invariants every stream decoder must uphold, so every stream encoder can rely on them:
 * - exactly one `message_start` first (unless the stream fails before it: then only `error`);
 * - content blocks are sequential: `block_start(i)`, deltas for `i`, `block_stop(i)`, then `i + 1`.
 *   Decoders of formats that interleave (OpenAI tool-call fragments keyed by index) buffer
 *   to restore this order;
 * - indices start at 0 and increase by one;
 * - `message_delta` (stop reason, cumulative usage) comes after the last `block_stop`,
 *   then `message_stop` ends the stream;
 * - `ping` may appear anywhere; `error` ends the stream early (nothing follows it).
 */
import type { StopReason, Usage } from './conversation';
import type { ApiError } from './errors';

export type BlockStart =
  | { type: 'text' }
  | { type: 'thinking' }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string };

export type BlockDelta =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'signature'; signature: string }
  /** A fragment of the tool input's JSON text; fragments concatenate to the full JSON. */
  | { type: 'input_json'; partialJson: string };

export type StreamEvent =
  | { type: 'message_start'; id: string; model: string; usage: Usage }
  | { type: 'block_start'; index: number; block: BlockStart }
  | { type: 'block_delta'; index: number; delta: BlockDelta }
  | { type: 'block_stop'; index: number }
  | { type: 'message_delta'; stopReason: StopReason; stopSequence?: string; usage: Usage }
  | { type: 'message_stop' }
  | { type: 'ping' }
  | { type: 'error'; error: ApiError };
