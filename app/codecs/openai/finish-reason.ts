/** OpenAI `finish_reason` <-> IR stop reason. */
import type { StopReason } from '../../ir/conversation';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export function stopReasonFromFinish(finish: string | null | undefined): StopReason {
  switch (finish) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

export function finishFromStopReason(stop: StopReason): FinishReason {
  switch (stop) {
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}
