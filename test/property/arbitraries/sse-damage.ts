/**
 * Upstream SSE streams and what the network and broken servers do to them: any chunking (split
 * points, or one byte at a time), truncation at any byte, junk lines and events inserted (bad
 * JSON in `data:`, comments, pings, stray `[DONE]`, error events), events dropped or repeated,
 * one event's JSON cut short, and CRLF or CR line endings.
 */
import fc from 'fast-check';

export type SseDamage =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; junk: string; onBoundary: boolean }
  | { kind: 'drop-event'; at: number }
  | { kind: 'repeat-event'; at: number }
  | { kind: 'cut-data'; at: number; keep: number }
  | { kind: 'line-endings'; style: '\r\n' | '\r' };

const JUNK = [
  'garbage line without a field\n',
  ': keep-alive comment\n\n',
  'event: ping\ndata: {"type": "ping"}\n\n',
  'data: {bad json\n\n',
  'data: \n\n',
  'data: null\n\n',
  'data: []\n\n',
  'data: 42\n\n',
  'data: {"type":"nonsense"}\n\n',
  'data: [DONE]\n\n',
  'retry: 100\n',
  'id: 7\n',
  '\n\n\n',
  'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":5,"function":{"arguments":"{\\"a"}}]}}]}\n\n',
  'data: {"choices":[{"index":0,"delta":{"content":null,"reasoning_content":7}}]}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":9,"delta":{"type":"text_delta","text":"x"}}\n\n',
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"Bash","input":{}}}\n\n',
  'event: message_start\ndata: {"type":"message_start","message":{"id":"again","model":"m","usage":{"input_tokens":1,"output_tokens":0}}}\n\n',
  'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","output_index":3,"content_index":0,"delta":"x"}\n\n',
  'event: response.output_item.done\ndata: {"type":"response.output_item.done","output_index":0,"item":{"type":"function_call","arguments":{}}}\n\n',
  'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
  'data: {"error":{"message":"upstream failed","type":"server_error"}}\n\n',
  'data: \u0000\uFFFD\ud83e\n\n',
];

export const sseDamage = (): fc.Arbitrary<SseDamage> =>
  fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), junk: fc.oneof(fc.constantFrom(...JUNK), fc.string({ maxLength: 30 })), onBoundary: fc.boolean() }),
    fc.record({ kind: fc.constant('drop-event' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('repeat-event' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('cut-data' as const), at: fc.nat(), keep: fc.nat({ max: 60 }) }),
    fc.record({ kind: fc.constant('line-endings' as const), style: fc.constantFrom('\r\n' as const, '\r' as const) }),
  );

/** Events as written: each ends with its blank line. */
function events(text: string): string[] {
  return text.split(/(?<=\n\n)/);
}

/** `text` with the damage done. */
export function damageSse(text: string, damage: SseDamage[]): string {
  let out = text;
  for (const d of damage) {
    const parts = events(out);
    switch (d.kind) {
      case 'truncate': {
        const bytes = Buffer.from(out, 'utf8');
        // Cut bytes, then read them back as a decoder would (a cut inside a character leaves U+FFFD).
        out = bytes.subarray(0, d.at % (bytes.length + 1)).toString('utf8');
        break;
      }
      case 'insert':
        if (d.onBoundary) {
          const at = d.at % (parts.length + 1);
          out = [...parts.slice(0, at), d.junk, ...parts.slice(at)].join('');
        } else {
          const at = d.at % (out.length + 1);
          out = out.slice(0, at) + d.junk + out.slice(at);
        }
        break;
      case 'drop-event':
        if (parts.length) parts.splice(d.at % parts.length, 1);
        out = parts.join('');
        break;
      case 'repeat-event':
        if (parts.length) {
          const at = d.at % parts.length;
          parts.splice(at, 0, parts[at] as string);
        }
        out = parts.join('');
        break;
      case 'cut-data': {
        if (!parts.length) break;
        const at = d.at % parts.length;
        const event = parts[at] as string;
        const data = event.indexOf('data:');
        if (data >= 0) parts[at] = event.slice(0, Math.min(event.length, data + 5 + d.keep)).replace(/\n*$/, '') + '\n\n';
        out = parts.join('');
        break;
      }
      case 'line-endings':
        out = out.replace(/\r?\n/g, d.style);
        break;
    }
  }
  return out;
}

/** Damage that changes nothing a client may see: comments and blank lines between events, other line endings. */
export function isHarmless(d: SseDamage): boolean {
  if (d.kind === 'line-endings') return true;
  return d.kind === 'insert' && d.onBoundary && (d.junk === ': keep-alive comment\n\n' || d.junk === '\n\n\n');
}

/** How the bytes arrive: cut at the given points, or one byte at a time. */
export type Chunking = { kind: 'points'; points: number[] } | { kind: 'every-byte' };

export const chunking = (): fc.Arbitrary<Chunking> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('points' as const), points: fc.array(fc.nat(), { maxLength: 12 }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'every-byte' as const }) },
  );

export function chunk(bytes: Uint8Array, how: Chunking): Uint8Array[] {
  if (how.kind === 'every-byte') return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  const cuts = [...new Set(how.points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const at = [0, ...cuts, bytes.length];
  return at.slice(1).map((end, i) => bytes.subarray(at[i], end));
}
