/**
 * Kimi K2 sometimes writes tool calls as text in its native syntax instead of real tool calls:
 *
 *   <|tool_calls_section_begin|><|tool_call_begin|>functions.Write:0<|tool_call_argument_begin|>
 *   {"file_path":"a.txt"}<|tool_call_end|><|tool_calls_section_end|>
 *
 * (whitespace may sit between tokens, a section may hold several calls). The id is the whole
 * `functions.Write:0`, the name what lies between `functions.` and the last `:`.
 * This module turns such text into real tool calls: `splitKimiToolCallText` for a complete
 * text, `createKimiToolCallTransform` for an IR event stream.
 */
import type { StreamEvent } from '../ir/stream';
import type { StreamEventTransform, TextToolCall } from './profile';

/** Both spellings seen from Kimi (the vLLM parser accepts both). */
const SECTION_BEGINS = ['<|tool_calls_section_begin|>', '<|tool_call_section_begin|>'];
const SECTION_ENDS = ['<|tool_calls_section_end|>', '<|tool_call_section_end|>'];
const CALL_BEGIN = '<|tool_call_begin|>';
const ARGUMENT_BEGIN = '<|tool_call_argument_begin|>';
const CALL_END = '<|tool_call_end|>';

export interface KimiTextSplit {
  /** The text outside tool-call sections. */
  text: string;
  /** The whole native id (`functions.Write:0`), the name, the arguments as written. */
  calls: TextToolCall[];
}

export function nameOfKimiToolId(id: string): string {
  const colon = id.lastIndexOf(':');
  const head = colon >= 0 ? id.slice(0, colon) : id;
  return head.startsWith('functions.') ? head.slice('functions.'.length) : head;
}

function findFirst(text: string, markers: string[], from = 0): { at: number; marker: string } | undefined {
  let best: { at: number; marker: string } | undefined;
  for (const marker of markers) {
    const at = text.indexOf(marker, from);
    if (at >= 0 && (!best || at < best.at)) best = { at, marker };
  }
  return best;
}

function makeCall(rawId: string, rawArgs: string): TextToolCall {
  const id = rawId.trim();
  const args = rawArgs.trim();
  return { id, name: nameOfKimiToolId(id), arguments: args === '' ? '{}' : args };
}

/**
 * Reads complete calls from the start of a section body.
 * `final` = no more text will come: an unfinished last call is taken as it stands.
 */
function readCalls(body: string, final: boolean): { calls: TextToolCall[]; consumed: number } {
  const calls: TextToolCall[] = [];
  let pos = 0;
  for (;;) {
    const begin = body.indexOf(CALL_BEGIN, pos);
    if (begin < 0) break;
    const argAt = body.indexOf(ARGUMENT_BEGIN, begin);
    const end = body.indexOf(CALL_END, begin);
    if (end >= 0 && argAt >= 0 && argAt < end) {
      calls.push(makeCall(body.slice(begin + CALL_BEGIN.length, argAt), body.slice(argAt + ARGUMENT_BEGIN.length, end)));
      pos = end + CALL_END.length;
      continue;
    }
    if (end >= 0) {
      // a call without an argument marker: the whole thing is the id, no arguments
      calls.push(makeCall(body.slice(begin + CALL_BEGIN.length, end), ''));
      pos = end + CALL_END.length;
      continue;
    }
    if (final && argAt >= 0) {
      calls.push(makeCall(body.slice(begin + CALL_BEGIN.length, argAt), body.slice(argAt + ARGUMENT_BEGIN.length)));
      pos = body.length;
    }
    break;
  }
  return { calls, consumed: pos };
}

/** Split a complete text into the text outside tool-call sections and the calls inside them. */
export function splitKimiToolCallText(text: string): KimiTextSplit {
  let out = '';
  const calls: TextToolCall[] = [];
  let pos = 0;
  for (;;) {
    const begin = findFirst(text, SECTION_BEGINS, pos);
    if (!begin) {
      out += text.slice(pos);
      break;
    }
    out += text.slice(pos, begin.at);
    const bodyStart = begin.at + begin.marker.length;
    const end = findFirst(text, SECTION_ENDS, bodyStart);
    const body = text.slice(bodyStart, end ? end.at : text.length);
    calls.push(...readCalls(body, true).calls);
    if (!end) break;
    pos = end.at + end.marker.length;
  }
  return { text: calls.length > 0 && out.trim() === '' ? '' : out, calls };
}

/** Length of the longest suffix of `text` that is a proper prefix of one of `markers`. */
function heldSuffixLength(text: string, markers: string[]): number {
  const longest = Math.max(...markers.map((m) => m.length)) - 1;
  for (let k = Math.min(longest, text.length); k > 0; k--) {
    const tail = text.slice(text.length - k);
    if (markers.some((m) => m.startsWith(tail))) return k;
  }
  return 0;
}

/**
 * Watches IR text deltas for Kimi's tool-call sections and turns them into real tool_use blocks.
 * Normal text is delayed only by the shortest tail that could still become a section marker.
 * Output block indices are renumbered so the stream invariants hold; when any call was produced
 * the stop reason becomes `tool_use`.
 */
export function createKimiToolCallTransform(): StreamEventTransform {
  let nextIndex = 0;
  /** Output index of the non-text block being passed through. */
  let passIndex: number | undefined;
  /** Inside an input text block. */
  let inText = false;
  /** Output index of the open output text block, if any. */
  let openText: number | undefined;
  let mode: 'text' | 'section' = 'text';
  let held = '';
  let producedCall = false;
  let finished = false;

  function emitText(text: string, out: StreamEvent[]): void {
    if (text === '') return;
    if (openText === undefined) {
      openText = nextIndex++;
      out.push({ type: 'block_start', index: openText, block: { type: 'text' } });
    }
    out.push({ type: 'block_delta', index: openText, delta: { type: 'text', text } });
  }

  function closeText(out: StreamEvent[]): void {
    if (openText === undefined) return;
    out.push({ type: 'block_stop', index: openText });
    openText = undefined;
  }

  function emitCalls(calls: TextToolCall[], out: StreamEvent[]): void {
    for (const call of calls) {
      const index = nextIndex++;
      producedCall = true;
      out.push({ type: 'block_start', index, block: { type: 'tool_use', id: call.id, name: call.name } });
      out.push({ type: 'block_delta', index, delta: { type: 'input_json', partialJson: call.arguments } });
      out.push({ type: 'block_stop', index });
    }
  }

  function flushHeldText(out: StreamEvent[]): void {
    if (inText && mode === 'text' && held !== '') emitText(held, out);
    held = '';
  }

  /** Process `held` as far as it can be decided now. */
  function drain(out: StreamEvent[], final: boolean): void {
    for (;;) {
      if (mode === 'text') {
        const begin = findFirst(held, SECTION_BEGINS);
        if (begin) {
          emitText(held.slice(0, begin.at), out);
          closeText(out);
          held = held.slice(begin.at + begin.marker.length);
          mode = 'section';
          continue;
        }
        const keep = final ? 0 : heldSuffixLength(held, SECTION_BEGINS);
        emitText(held.slice(0, held.length - keep), out);
        held = held.slice(held.length - keep);
        return;
      }
      const end = findFirst(held, SECTION_ENDS);
      const body = end ? held.slice(0, end.at) : held;
      const { calls, consumed } = readCalls(body, final || end !== undefined);
      emitCalls(calls, out);
      if (end) {
        held = held.slice(end.at + end.marker.length);
        mode = 'text';
        continue;
      }
      held = held.slice(consumed);
      if (final) {
        held = '';
        mode = 'text';
      }
      return;
    }
  }

  return {
    push(event) {
      const out: StreamEvent[] = [];
      switch (event.type) {
        case 'block_start':
          if (event.block.type === 'text') {
            inText = true;
          } else {
            passIndex = nextIndex++;
            out.push({ ...event, index: passIndex });
          }
          break;
        case 'block_delta':
          if (inText && event.delta.type === 'text') {
            held += event.delta.text;
            drain(out, false);
          } else if (passIndex !== undefined) {
            out.push({ ...event, index: passIndex });
          }
          break;
        case 'block_stop':
          if (inText) {
            drain(out, true);
            closeText(out);
            inText = false;
          } else if (passIndex !== undefined) {
            out.push({ ...event, index: passIndex });
            passIndex = undefined;
          }
          break;
        case 'message_delta':
          out.push(producedCall ? { ...event, stopReason: 'tool_use' } : event);
          break;
        case 'error':
          // text held back is real text: hand it over before the stream fails
          flushHeldText(out);
          finished = true;
          out.push(event);
          break;
        case 'message_stop':
          finished = true;
          out.push(event);
          break;
        default:
          out.push(event);
      }
      return out;
    },
    end() {
      // Only reached with something held when the input ended without error or message_stop.
      const out: StreamEvent[] = [];
      if (!finished) flushHeldText(out);
      return out;
    },
  };
}
