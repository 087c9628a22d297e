/**
 * The codecs under conformance and each one's recorded material: client request fixtures and a
 * backend stream fixture in its own format. A new wire format joins the suite by adding a case.
 */
import type { TranslationContext, WireCodec, WireFormat } from '../../../../app/codecs/codec';
import { anthropicCodec } from '../../../../app/codecs/anthropic/index';
import { openaiCodec } from '../../../../app/codecs/openai/index';
import { responsesCodec } from '../../../../app/codecs/responses/index';
import { ToolNameMap } from '../../../../app/translate/tool-names';

export interface CodecCase {
  codec: WireCodec;
  /** Client request bodies in this format (paths under test/fixtures). */
  requestFixtures: string[];
  /** A backend's stream in this format (path under test/fixtures). */
  streamFixture: string;
  /** Tool names the fixtures use. */
  tools: string[];
}

export const CODEC_CASES: Record<WireFormat, CodecCase> = {
  anthropic: {
    codec: anthropicCodec,
    requestFixtures: ['anthropic/claude-code-request.json'],
    streamFixture: 'anthropic/stream-text-thinking-tools.sse',
    tools: ['Bash', 'Write'],
  },
  openai: {
    codec: openaiCodec,
    requestFixtures: ['openai/opencode-request.json'],
    streamFixture: 'openai/nim-kimi-stream.sse',
    tools: ['Write', 'Bash'],
  },
  responses: {
    codec: responsesCodec,
    requestFixtures: ['responses/codex-request.json'],
    streamFixture: 'responses/openai-stream.sse',
    tools: ['exec_command', 'multi_agent_v1.wait_agent'],
  },
};

export const fixtureUrl = (path: string): URL => new URL(`../../../fixtures/${path}`, import.meta.url);

export function contextFor(c: CodecCase, extra: Partial<TranslationContext> = {}): TranslationContext {
  return { toolNames: new ToolNameMap([...c.tools, 'write_file']), requestedModel: 'client-model', includeUsage: true, ...extra };
}
