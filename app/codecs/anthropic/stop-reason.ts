/** Anthropic stop reasons <-> the IR (identical names; unknown upstream values are mapped). */
import type { StopReason } from '../../ir/conversation';

const KNOWN: readonly StopReason[] = ['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal'];

export function decodeStopReason(value: unknown): StopReason {
  const known = KNOWN.find((k) => k === value);
  if (known) return known;
  // Newer Anthropic value: the context window filled up while generating.
  if (value === 'model_context_window_exceeded') return 'max_tokens';
  return 'end_turn';
}
