/** Usage between the IR and Anthropic's `usage` object (same semantics: input excludes cache reads). */
import type { Usage } from '../../ir/conversation';
import type { WireUsage } from './wire-types';

export function toWireUsage(usage: Usage): WireUsage {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheCreationTokens ?? 0,
    cache_read_input_tokens: usage.cacheReadTokens ?? 0,
    output_tokens: usage.outputTokens,
  };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Merge an upstream `usage` object into what is known so far: Anthropic's values are
 * cumulative, so the latest non-null value of each field wins.
 */
export function mergeWireUsage(known: Usage, wire: unknown): Usage {
  if (typeof wire !== 'object' || wire === null) return known;
  const w = wire as Record<string, unknown>;
  const next: Usage = { ...known };
  const input = count(w.input_tokens);
  const output = count(w.output_tokens);
  const read = count(w.cache_read_input_tokens);
  const created = count(w.cache_creation_input_tokens);
  if (input !== undefined) next.inputTokens = input;
  if (output !== undefined) next.outputTokens = output;
  if (read !== undefined) next.cacheReadTokens = read;
  if (created !== undefined) next.cacheCreationTokens = created;
  return next;
}
