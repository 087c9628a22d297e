/**
 * Backend `chat.completion.chunk` SSE -> IR stream events, restoring the IR's sequential block
 * discipline (app/ir/stream.ts):
 * - reasoning_content and content open thinking/text blocks as they change;
 * - tool-call fragments are keyed by `index`; a call's block opens once its id and name are known
 *   (an id is made up at the finish if the stream never gives one); fragments of calls that are
 *   not the open block are buffered and emitted in order, so an open tool block stays open until
 *   the finish (a later fragment for it may still come);
 * - `finish_reason` closes the blocks; usage is read from the finish chunk or the trailing
 *   `choices: []` chunk; `[DONE]` (or end() after a finish) emits message_delta + message_stop.
 */
import type { Usage } from '../../ir/conversation';
import { apiError } from '../../ir/errors';
import type { StreamEvent } from '../../ir/stream';
import type { SseMessage, StreamDecoder, TranslationContext } from '../codec';
import { decodeStreamError } from './errors';
import { stopReasonFromFinish } from './finish-reason';
import { generatedCallId } from './ids';
import { usageFromWire } from './usage';
import { noCopyParser } from '../no-copy-parse';
import { wireChunkSchema } from './wire-types';
import type { WireChunk } from './wire-types';

interface TextSegment {
  kind: 'text' | 'thinking';
  text: string;
  emitted: number;
  index?: number;
}

interface ToolSegment {
  kind: 'tool';
  id?: string;
  name?: string;
  args: string;
  emitted: number;
  /** Position of the call among the response's calls (for a made-up id). */
  ordinal: number;
  index?: number;
}

type Segment = TextSegment | ToolSegment;

/** Hundreds of chunks per answer: read without zod's copy when plainly fine (no-copy-parse.ts). */
const parseChunk = noCopyParser(wireChunkSchema);

type ChunkChoice = NonNullable<WireChunk['choices']>[number];
type ChunkToolCall = NonNullable<NonNullable<ChunkChoice['delta']>['tool_calls']>[number];

export function createCoreStreamDecoder(ctx: TranslationContext): StreamDecoder {
  const segments: Segment[] = [];
  const toolsByIndex = new Map<number, ToolSegment>();
  let head = 0;
  let nextBlock = 0;
  let started = false;
  let finishReason: string | undefined;
  let usage: Usage | undefined;
  let done = false;

  function start(chunk: WireChunk | undefined, out: StreamEvent[]): void {
    if (started) return;
    started = true;
    out.push({
      type: 'message_start',
      id: chunk?.id ?? '', // the upstream's (for the log); '' when it gave none
      model: chunk?.model || ctx.requestedModel,
      usage: { inputTokens: 0, outputTokens: 0 },
    });
  }

  /** Emit whatever can be emitted in order; `final` = no more fragments will come. */
  function pump(final: boolean, out: StreamEvent[]): void {
    while (head < segments.length) {
      const seg = segments[head]!;
      const isLast = head === segments.length - 1;
      if (seg.index === undefined) {
        if (seg.kind === 'tool') {
          if (seg.name === undefined || (seg.id === undefined && !final)) return;
          seg.id ??= generatedCallId(seg.ordinal);
          seg.index = nextBlock++;
          out.push({ type: 'block_start', index: seg.index, block: { type: 'tool_use', id: seg.id, name: ctx.toolNames.original(seg.name) } });
        } else {
          seg.index = nextBlock++;
          out.push({ type: 'block_start', index: seg.index, block: { type: seg.kind } });
        }
      }
      if (seg.kind === 'tool') {
        if (seg.args.length > seg.emitted) {
          out.push({ type: 'block_delta', index: seg.index, delta: { type: 'input_json', partialJson: seg.args.slice(seg.emitted) } });
          seg.emitted = seg.args.length;
        }
        if (!final) return;
      } else {
        if (seg.text.length > seg.emitted) {
          const text = seg.text.slice(seg.emitted);
          out.push({ type: 'block_delta', index: seg.index, delta: seg.kind === 'text' ? { type: 'text', text } : { type: 'thinking', thinking: text } });
          seg.emitted = seg.text.length;
        }
        if (isLast && !final) return;
      }
      out.push({ type: 'block_stop', index: seg.index });
      head++;
    }
  }

  function addText(kind: 'text' | 'thinking', text: string): void {
    const last = segments[segments.length - 1];
    if (last && last.kind === kind) last.text += text;
    else segments.push({ kind, text, emitted: 0 });
  }

  function addToolFragment(fragment: ChunkToolCall, position: number): void {
    const key = fragment.index ?? position;
    let seg = toolsByIndex.get(key);
    if (!seg) {
      seg = { kind: 'tool', args: '', emitted: 0, ordinal: toolsByIndex.size };
      toolsByIndex.set(key, seg);
      segments.push(seg);
    }
    if (fragment.id && seg.id === undefined) seg.id = fragment.id;
    if (fragment.function?.name && seg.name === undefined) seg.name = fragment.function.name;
    if (fragment.function?.arguments) seg.args += fragment.function.arguments;
  }

  function finishMessage(out: StreamEvent[]): void {
    pump(true, out);
    const stopReason = toolsByIndex.size > 0 ? 'tool_use' : stopReasonFromFinish(finishReason);
    out.push({ type: 'message_delta', stopReason, usage: usage ?? { inputTokens: 0, outputTokens: 0 } });
    out.push({ type: 'message_stop' });
    done = true;
  }

  function fail(out: StreamEvent[], error: StreamEvent & { type: 'error' }): StreamEvent[] {
    done = true;
    out.push(error);
    return out;
  }

  function applyChoice(choice: ChunkChoice): void {
    const delta = choice.delta;
    if (delta?.reasoning_content) addText('thinking', delta.reasoning_content);
    if (delta?.content) addText('text', delta.content);
    delta?.tool_calls?.forEach((fragment, position) => addToolFragment(fragment, position));
    if (choice.usage) usage = usageFromWire(choice.usage);
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }

  return {
    push(message: SseMessage): StreamEvent[] {
      const out: StreamEvent[] = [];
      if (done) return out;
      const data = message.data.trim();
      if (data === '') return out;
      if (data === '[DONE]') {
        start(undefined, out);
        finishMessage(out);
        return out;
      }
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        return fail(out, { type: 'error', error: apiError('api_error', `upstream sent a malformed stream chunk: ${data.slice(0, 200)}`) });
      }
      const parsed = parseChunk(json);
      if (!parsed.success) {
        return fail(out, { type: 'error', error: apiError('api_error', `upstream sent an unexpected stream chunk: ${data.slice(0, 200)}`) });
      }
      const chunk = parsed.data;
      if (chunk.error !== undefined && chunk.error !== null) return fail(out, { type: 'error', error: decodeStreamError(chunk.error) });
      start(chunk, out);
      if (chunk.usage) usage = usageFromWire(chunk.usage);
      const choices = chunk.choices ?? [];
      const choice = choices.find((c) => (c.index ?? 0) === 0);
      if (choice && finishReason === undefined) applyChoice(choice);
      else if (choice?.usage) usage = usageFromWire(choice.usage);
      pump(finishReason !== undefined, out);
      return out;
    },
    end(): StreamEvent[] {
      const out: StreamEvent[] = [];
      if (done) return out;
      if (finishReason !== undefined) {
        finishMessage(out);
        return out;
      }
      return fail(out, {
        type: 'error',
        error: apiError('api_error', 'the upstream closed the stream before the message finished'),
      });
    },
  };
}

export function createStreamDecoder(ctx: TranslationContext): StreamDecoder {
  const core = createCoreStreamDecoder(ctx);
  if (!ctx.textToolCalls) return core;
  const calls = ctx.textToolCalls.createTransform();
  return {
    push: (message) => core.push(message).flatMap((event) => calls.push(event)),
    end: () => [...core.end().flatMap((event) => calls.push(event)), ...calls.end()],
  };
}
