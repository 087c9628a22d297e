/** Upstream SSE streams of each format: the recorded one, or generated IR written by the format's own encoder. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { TranslationContext, WireFormat } from '../../../app/codecs/codec';
import { codecFor } from '../../../app/codecs/registry';
import { KIMI_TEXT_TOOL_CALLS } from '../../../app/quirks/kimi';
import { ToolNameMap } from '../../../app/translate/tool-names';
import { irStream } from './ir';

const RECORDED: Record<WireFormat, string> = {
  anthropic: 'anthropic/stream-text-thinking-tools.sse',
  openai: 'openai/nim-kimi-stream.sse',
  responses: 'responses/openai-stream.sse',
};

const recorded = (format: WireFormat): string => readFileSync(new URL(`../../fixtures/${RECORDED[format]}`, import.meta.url), 'utf8');

export function streamContext(kimi: boolean, includeUsage: boolean): TranslationContext {
  return {
    toolNames: new ToolNameMap(['Bash', 'Write', 'exec_command', 'write_file', 'multi_agent_v1.wait_agent']),
    requestedModel: 'client-model',
    responseId: 'resp_fixed',
    includeUsage,
    ...(kimi ? { textToolCalls: KIMI_TEXT_TOOL_CALLS } : {}),
  };
}

/** A backend's stream: its text, and whether it is complete and succeeds. */
export function upstreamStream(backend: WireFormat): fc.Arbitrary<{ text: string; succeeds: boolean }> {
  const fixture = recorded(backend);
  const generated = irStream().map((events) => {
    const encoder = codecFor(backend).createStreamEncoder(streamContext(false, true));
    return { text: events.map((e) => encoder.encode(e)).join(''), succeeds: events.at(-1)?.type === 'message_stop' };
  });
  return fc.oneof({ weight: 1, arbitrary: fc.constant({ text: fixture, succeeds: true }) }, { weight: 3, arbitrary: generated });
}

