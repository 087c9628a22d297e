/**
 * What must survive a trip through a wire format, with what a format may legitimately change
 * taken out: minted ids and model names, how deltas are split, pings, and zero-valued optional
 * usage fields that some formats always write.
 */
import type { ChatResponse, Usage } from '../../../../app/ir/conversation';
import type { StreamEvent } from '../../../../app/ir/stream';

export function normalUsage(usage: Usage): Usage {
  const out: Usage = { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
  if (usage.cacheReadTokens) out.cacheReadTokens = usage.cacheReadTokens;
  if (usage.cacheCreationTokens) out.cacheCreationTokens = usage.cacheCreationTokens;
  return out;
}

/** Stream events with ids/models and usage of message_start dropped, pings removed, deltas of a block merged. */
export function collapseStream(events: StreamEvent[]): unknown[] {
  const out: Array<Record<string, unknown>> = [];
  for (const event of events) {
    if (event.type === 'ping') continue;
    if (event.type === 'message_start') {
      out.push({ type: 'message_start' });
      continue;
    }
    if (event.type === 'message_delta') {
      out.push({ type: 'message_delta', stopReason: event.stopReason, usage: normalUsage(event.usage) });
      continue;
    }
    if (event.type === 'error') {
      out.push({ type: 'error', kind: event.error.kind, status: event.error.status });
      continue;
    }
    const last = out.at(-1);
    if (event.type === 'block_delta' && event.delta.type !== 'signature' && last?.type === 'block_delta' && last.index === event.index) {
      const prev = last.delta as Record<string, string>;
      if (prev.type === event.delta.type) {
        const key = event.delta.type === 'text' ? 'text' : event.delta.type === 'thinking' ? 'thinking' : 'partialJson';
        prev[key] = (prev[key] ?? '') + (event.delta as Record<string, string>)[key];
        continue;
      }
    }
    out.push(structuredClone(event) as Record<string, unknown>);
  }
  return out;
}

/** A response with its id and model taken out and usage normalised. */
export function normalResponse(response: ChatResponse): unknown {
  return { content: response.content, stopReason: response.stopReason, usage: normalUsage(response.usage) };
}
