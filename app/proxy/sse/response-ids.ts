/**
 * Response ids on the pass-through path: the client gets Patchbay's own id, never the
 * upstream's (upstreams may repeat or omit theirs, and Claude Code merges turns that share
 * `message.id`). The upstream's id is reported once, for the request log.
 *
 * - Anthropic: `message_start.message.id` (once per stream), a whole `message`'s `id`.
 * - OpenAI: the top-level `id` of every `chat.completion.chunk` (the same id on every chunk),
 *   added when the upstream left it out; a whole `chat.completion`'s `id`.
 *
 * Hot path: relayed bytes stay as they are except the id. A chunk that starts `{"id":"…"` (most
 * servers) is rewritten in place without parsing; anything else is parsed, and the id replaced
 * in the original text when that is unambiguous, else the JSON is written anew. Error objects,
 * `[DONE]`, comments and text that is not JSON pass unchanged.
 */
import type { RelayedResponseFacts, WireFormat } from '../../codecs/codec';
import { newResponseId } from '../../codecs/minted-ids';
import { codecFor } from '../../codecs/registry';

const EVENT_END = /\r\n\r\n|\n\n|\r\r/g;
const ID_FIRST = '{"id":"';

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function parseObject(text: string): Json | undefined {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export class ResponseIdRewriter {
  /** The id every response event / body written to the client carries. */
  readonly clientId: string;
  private upstream: string | undefined;
  /** `first-event` formats: the first event has been rewritten; the rest of the stream passes untouched. */
  private started = false;
  private readonly facts: RelayedResponseFacts;

  constructor(
    format: WireFormat,
    private readonly onUpstreamId?: (id: string) => void,
    clientId: string = newResponseId(format),
  ) {
    this.clientId = clientId;
    this.facts = codecFor(format).wire.relayed;
  }

  /** The first id the upstream gave (undefined until seen, or when it gave none). */
  get upstreamId(): string | undefined {
    return this.upstream;
  }

  /** Whole SSE events (as cut by SseEventSplitter) with their ids rewritten. */
  events(text: string): string {
    if (this.started) return text;
    let out = '';
    let pos = 0;
    // LF-only text (nearly all servers): boundaries found with indexOf, much cheaper than a regex.
    const lfOnly = !text.includes('\r');
    EVENT_END.lastIndex = 0;
    while (pos < text.length) {
      let bodyEnd = text.length;
      let end = text.length;
      if (lfOnly) {
        const at = text.indexOf('\n\n', pos);
        if (at !== -1) {
          bodyEnd = at;
          end = at + 2;
        }
      } else {
        const m = EVENT_END.exec(text);
        if (m) {
          bodyEnd = m.index;
          end = m.index + m[0].length;
        }
      }
      out += this.event(text, pos, bodyEnd, end, lfOnly);
      pos = end;
      if (this.started) return out + text.slice(pos);
    }
    return out;
  }

  /** One SSE event's data (as an SSE parser gives it), with its id rewritten. */
  eventData(data: string): string {
    if (this.started) return data;
    switch (this.facts.idPlacement) {
      case 'every-chunk':
        return this.chunkData(data);
      case 'first-event':
        return this.messageStartData(data);
      case 'lifecycle':
        return this.lifecycleData(data);
    }
  }

  /** A whole (non-streamed) JSON response body, with its id rewritten. */
  body(text: string): string {
    const fast = this.idFirst(text);
    if (fast !== undefined) return fast;
    const value = parseObject(text);
    if (!value) return text;
    return this.facts.isResponseBody(value) ? this.replaceId(text, value) : text;
  }

  /** text[start, end) is one event, text[bodyEnd, end) its terminator (blank line). */
  private event(text: string, start: number, bodyEnd: number, end: number, lfOnly: boolean): string {
    const body = text.slice(start, bodyEnd);
    if (this.facts.idPlacement === 'first-event' && !body.includes('message_start')) return text.slice(start, end);
    // The usual event: one `data:` line (JSON text holds no raw line breaks).
    if (body.startsWith('data:') && !body.includes('\n') && (lfOnly || !body.includes('\r'))) {
      const data = body.slice(body.startsWith('data: ') ? 6 : 5);
      const after = this.eventData(data);
      return after === data ? text.slice(start, end) : 'data: ' + after + text.slice(bodyEnd, end);
    }
    if (!body.includes('data:')) return text.slice(start, end);
    return this.rewriteDataLines(text.slice(start, end));
  }

  /**
   * `text` starting `{"id":"<id>"`: the id swapped without parsing. Undefined when the text
   * does not start that way or the id holds an escape (then the caller parses).
   */
  private idFirst(text: string): string | undefined {
    if (!text.startsWith(ID_FIRST)) return undefined;
    const close = text.indexOf('"', ID_FIRST.length);
    if (close === -1) return undefined;
    if (text.slice(ID_FIRST.length, close).includes('\\')) return undefined; // an escape inside the id
    this.saw(text.slice(ID_FIRST.length, close));
    return ID_FIRST + this.clientId + text.slice(close);
  }

  /** An event whose data is not in the fast shape: its data lines joined, rewritten, written back. */
  private rewriteDataLines(event: string): string {
    const newline = event.includes('\r\n') ? '\r\n' : event.includes('\n') ? '\n' : '\r';
    const lines = event.split(/\r\n|\n|\r/);
    const data: string[] = [];
    let firstData = -1;
    lines.forEach((line, i) => {
      if (!line.startsWith('data:')) return;
      if (firstData === -1) firstData = i;
      data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    });
    const before = data.join('\n');
    const after = this.eventData(before);
    if (after === before) return event;
    const kept = lines.filter((line, i) => i === firstData || !line.startsWith('data:'));
    const at = kept.indexOf(lines[firstData]!);
    kept.splice(at, 1, ...after.split('\n').map((l) => 'data: ' + l));
    return kept.join(newline);
  }

  private chunkData(data: string): string {
    const fast = this.idFirst(data);
    if (fast !== undefined) return fast;
    if (!data.includes('{')) return data; // [DONE], keep-alives
    const value = parseObject(data);
    if (!value || value.error !== undefined) return data;
    if (!('id' in value) && !Array.isArray(value.choices)) return data;
    return this.replaceId(data, value);
  }

  /** Responses: `response.id` of every `response.*` lifecycle event; other events pass. */
  private lifecycleData(data: string): string {
    if (!data.includes('"response"')) return data;
    const value = parseObject(data);
    const response = typeof value?.type === 'string' && value.type.startsWith('response.') ? asObject(value.response) : undefined;
    if (!value || !response) return data;
    return this.replaceId(data, response, value);
  }

  private messageStartData(data: string): string {
    const value = parseObject(data);
    const message = value?.type === 'message_start' ? asObject(value.message) : undefined;
    if (!message) return data;
    this.started = true;
    return this.replaceId(data, message, value);
  }

  /**
   * `holder` (the top-level object, or `root.message`) parsed from `text`: its id replaced in the
   * text itself when `"id":"<old>"` occurs exactly once, else the JSON written anew.
   */
  private replaceId(text: string, holder: Json, root: Json = holder): string {
    const old = holder.id;
    if (typeof old === 'string' && old !== '') {
      this.saw(old);
      const needle = `"id":${JSON.stringify(old)}`;
      const at = text.indexOf(needle);
      if (at !== -1 && text.indexOf(needle, at + 1) === -1) return text.slice(0, at) + `"id":"${this.clientId}"` + text.slice(at + needle.length);
    }
    if (old === undefined && holder === root) {
      // Left out by the upstream: added first, as servers that send it do.
      const brace = text.indexOf('{');
      const empty = /^\{\s*\}/.test(text.slice(brace));
      return text.slice(0, brace + 1) + `"id":"${this.clientId}"` + (empty ? '' : ',') + text.slice(brace + 1);
    }
    holder.id = this.clientId;
    return JSON.stringify(root);
  }

  private saw(id: string): void {
    if (this.upstream !== undefined || id === '') return;
    this.upstream = id;
    this.onUpstreamId?.(id);
  }
}
