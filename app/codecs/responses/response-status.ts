/**
 * A response's `status` / `incomplete_details.reason` <-> IR stop reason. Responses has no
 * "tool_use" status: a response with function calls is simply `completed`.
 */
import type { StopReason } from '../../ir/conversation';

export interface WireStatus {
  status: 'completed' | 'incomplete';
  incompleteReason?: 'max_output_tokens' | 'content_filter';
}

export function statusFromStopReason(stop: StopReason): WireStatus {
  if (stop === 'max_tokens') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (stop === 'refusal') return { status: 'incomplete', incompleteReason: 'content_filter' };
  return { status: 'completed' };
}

export function stopReasonFromStatus(status: string | null | undefined, reason: string | null | undefined, hasCalls: boolean): StopReason {
  if (status === 'incomplete') return reason === 'content_filter' ? 'refusal' : 'max_tokens';
  return hasCalls ? 'tool_use' : 'end_turn';
}
