/**
 * In-process translation cost, no sockets:
 * - request: a ~1 MB Claude Code body (200 messages) as text -> JSON.parse -> Anthropic decode
 *   -> IR -> OpenAI encode -> JSON.stringify (what the proxy does per request on the NIM path);
 * - response: an OpenAI stream of `STREAM_CHUNKS` chunks (reasoning, text, two tool calls cut
 *   into fragments, usage) -> OpenAI stream decoder -> IR -> Anthropic stream encoder.
 */
import { anthropicCodec } from '../app/codecs/anthropic';
import { openaiCodec } from '../app/codecs/openai';
import type { SseMessage, TranslationContext } from '../app/codecs/codec';
import { ToolNameMap } from '../app/translate/tool-names';
import { claudeCodeRequest, largeClaudeCodeRequest } from './claude-code-request';
import { summarize, timeSync, type Summary } from './measure';

export interface TranslationResult {
  /** The ~36 KB request of the latency runs, same pipeline: the translation share of the added latency. */
  smallRequest: { bodyBytes: number; fullPipeline: Summary };
  request: { bodyBytes: number; messages: number; outBytes: number; fullPipeline: Summary; codecsOnly: Summary };
  responseStream: { chunks: number; outBytes: number; perStream: Summary };
}

const STREAM_CHUNKS = 1000;

function openAiStream(chunks: number): SseMessage[] {
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'fake-model' };
  const delta = (d: Record<string, unknown>, finish: string | null = null): SseMessage => ({
    data: JSON.stringify({ ...base, choices: [{ index: 0, delta: d, finish_reason: finish }] }),
  });
  const out: SseMessage[] = [delta({ role: 'assistant', content: '' })];
  const quarter = Math.floor(chunks / 4);
  for (let i = 0; i < quarter; i++) out.push(delta({ reasoning_content: `step ${i} of the plan é ` }));
  for (let i = 0; i < quarter; i++) out.push(delta({ content: `word${i} ✓ ` }));
  for (const [call, name] of [[0, 'Read'], [1, 'Grep']] as const) {
    out.push(delta({ tool_calls: [{ index: call, id: `functions.${name}:${call}`, type: 'function', function: { name, arguments: '' } }] }));
    const args = JSON.stringify({ file_path: `/home/dev/src/${'x'.repeat(quarter * 4)}.ts`, pattern: 'a\\"b' });
    const pieces = Math.max(1, quarter - 1);
    const size = Math.ceil(args.length / pieces);
    for (let p = 0; p < args.length; p += size) {
      out.push(delta({ tool_calls: [{ index: call, function: { arguments: args.slice(p, p + size) } }] }));
    }
  }
  out.push(delta({}, 'tool_calls'));
  out.push({ data: JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 250_000, completion_tokens: 900, total_tokens: 250_900 } }) });
  out.push({ data: '[DONE]' });
  return out;
}

const target = { model: 'fake-model', echoReasoning: true };

/** Body text -> parse -> Anthropic decode -> OpenAI encode -> body text; returns the output length. */
function translateRequestText(raw: string): number {
  const ir = anthropicCodec.decodeRequest(JSON.parse(raw));
  const ctx: TranslationContext = { toolNames: ToolNameMap.fromTools(ir.tools), requestedModel: ir.model };
  return JSON.stringify(openaiCodec.encodeRequest(ir, target, ctx)).length;
}

export function runTranslationBench(options: { warmup: number; iterations: number }): TranslationResult {
  const smallRaw = JSON.stringify(claudeCodeRequest(true));
  const small = timeSync(() => translateRequestText(smallRaw), { warmup: options.warmup * 10, iterations: options.iterations * 10 });

  const rawRequest = JSON.stringify(largeClaudeCodeRequest());
  const parsed = JSON.parse(rawRequest) as Record<string, unknown>;
  let outBytes = 0;
  const fullPipeline = timeSync(() => {
    outBytes = translateRequestText(rawRequest);
  }, options);
  const codecsOnly = timeSync(() => {
    const ir = anthropicCodec.decodeRequest(parsed);
    const ctx: TranslationContext = { toolNames: ToolNameMap.fromTools(ir.tools), requestedModel: ir.model };
    openaiCodec.encodeRequest(ir, target, ctx);
  }, options);

  const ir = anthropicCodec.decodeRequest(parsed);
  const ctx: TranslationContext = { toolNames: ToolNameMap.fromTools(ir.tools), requestedModel: ir.model };
  const messages = openAiStream(STREAM_CHUNKS);
  let streamOut = 0;
  const perStream = timeSync(() => {
    const decoder = openaiCodec.createStreamDecoder(ctx);
    const encoder = anthropicCodec.createStreamEncoder(ctx);
    let bytes = 0;
    for (const message of messages) for (const event of decoder.push(message)) bytes += encoder.encode(event).length;
    for (const event of decoder.end()) bytes += encoder.encode(event).length;
    streamOut = bytes;
  }, options);

  return {
    smallRequest: { bodyBytes: Buffer.byteLength(smallRaw), fullPipeline: summarize(small) },
    request: {
      bodyBytes: Buffer.byteLength(rawRequest),
      messages: (parsed.messages as unknown[]).length,
      outBytes,
      fullPipeline: summarize(fullPipeline),
      codecsOnly: summarize(codecsOnly),
    },
    responseStream: { chunks: messages.length, outBytes: streamOut, perStream: summarize(perStream) },
  };
}
